import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import type pg from 'pg'
import type { Db } from './client.js'

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url))

// Any fixed number: it only has to be the same in every replica that might migrate at once.
const MIGRATION_LOCK = 7_420_519

/**
 * Applies the committed drizzle-kit migrations. An advisory lock lets several replicas start at once.
 * Afterwards every table with row-level security gets FORCE, so the owner role the application
 * connects as is held to the policies too (drizzle-kit only emits ENABLE).
 */
export async function runMigrations(pool: pg.Pool): Promise<void> {
  // Advisory locks belong to a session: lock, migrate and unlock on one connection.
  const client = await pool.connect()
  const db = drizzle(client)
  await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`)
  try {
    await migrate(db, { migrationsFolder })
    await db.execute(sql`
      do $$
      declare t record;
      begin
        for t in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relkind = 'r' and c.relrowsecurity and not c.relforcerowsecurity
        loop
          execute format('alter table public.%I force row level security', t.relname);
        end loop;
      end $$`)
  } finally {
    await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`).catch(() => undefined)
    client.release()
  }
}

/** Number of migrations committed in the repository (drizzle-kit's journal). */
export async function expectedMigrationCount(): Promise<number> {
  const journal = JSON.parse(await readFile(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
    entries: unknown[]
  }
  return journal.entries.length
}

export async function appliedMigrationCount(db: Db): Promise<number> {
  const result = await db.execute<{ count: string }>(sql`
    select count(*)::text as count from drizzle.__drizzle_migrations`)
  return Number(result.rows[0]?.count ?? 0)
}
