import { sql } from 'drizzle-orm'
import { withSystem, type Db } from '../../db/client.js'

/**
 * An import job runs in the process that took the upload, from its spool file. If that process
 * died, the job would read "running" forever: one that has not progressed for `staleMinutes`
 * (a chunk commits every few seconds) is failed with the reason, so the caller re-submits the file
 * — safe, since bulk lines upsert by external_ref.
 */
export async function failStalledImports(db: Db, staleMinutes = 10): Promise<number> {
  const reason = JSON.stringify([
    {
      line: 0,
      external_ref: null,
      errors: [{ path: '', message: 'Interrupted: the server holding this upload stopped. Re-submit the file; lines already imported upsert by external_ref.' }],
    },
  ])
  const result = await withSystem(db, (tx) =>
    tx.execute(sql`
      update imports set status = 'failed', finished_at = now(), updated_at = now(), errors = errors || ${reason}::jsonb
      where status in ('queued', 'running') and updated_at < now() - make_interval(mins => ${staleMinutes})`),
  )
  return result.rowCount ?? 0
}
