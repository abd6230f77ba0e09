import type { FastifyBaseLogger } from 'fastify'
import { withTenant, type Db, type Tx } from '../../db/client.js'
import { inChunks, type RawLine } from './bulk-lines.js'
import { rounds, validateChunk, type ValidatedChunk } from './bulk-validate.js'
import type { BulkContext, BulkKind, LineResult } from './bulk-types.js'
import type { BulkLimits } from './imports.config.js'
import type { BulkResultDto } from './imports.schema.js'
import { recordProgress } from './imports.repository.js'
import type { ImportLineError } from './imports.tables.js'
import { UploadFailed } from './spool.js'

const MAX_KEPT_ERRORS = 100

async function storeValidated<T>(tx: Tx, kind: BulkKind<T>, ctx: BulkContext, chunk: ValidatedChunk<T>): Promise<LineResult[]> {
  const results = [...chunk.rejected]
  for (const round of rounds(chunk.valid)) results.push(...(await kind.store(tx, ctx, round)))
  return results.sort((a, b) => a.line - b.line)
}

class Tally {
  created = 0
  updated = 0
  unchanged = 0
  rejected = 0
  add(results: LineResult[]) {
    for (const r of results) this[r.status]++
  }
}

/** A request small enough to answer at once: every chunk in the caller's transaction. */
export async function runSync<T extends { external_ref?: string }>(
  tx: Tx,
  kind: BulkKind<T>,
  ctx: BulkContext,
  lines: RawLine[],
  limits: BulkLimits,
): Promise<BulkResultDto> {
  const all: LineResult[] = []
  for (let i = 0; i < lines.length; i += limits.chunkSize) {
    all.push(...(await storeValidated(tx, kind, ctx, await validateChunk(kind.schema, lines.slice(i, i + limits.chunkSize)))))
  }
  const tally = new Tally()
  tally.add(all)
  const full = all.length <= limits.fullResultsMaxLines
  return {
    object: 'bulk_result',
    created: tally.created,
    updated: tally.updated,
    unchanged: tally.unchanged,
    rejected: tally.rejected,
    results_include: full ? 'all' : 'rejected',
    results: full ? all : all.filter((r) => r.status === 'rejected'),
  }
}

export interface ImportRun {
  db: Db
  log: FastifyBaseLogger
  importId: string
  limits: BulkLimits
  signal: AbortSignal
  /** Physical lines received so far, and read so far. */
  received: () => number
  read: () => number
}

/** Why an import stopped, as the client reads it at line 0 of `errors`. */
function failure(error: unknown, lastLine: number): ImportLineError {
  const message =
    error instanceof UploadFailed
      ? `${error.message} Lines up to ${lastLine} are stored.`
      : error instanceof ImportStopped
        ? `The server stopped after line ${lastLine}. Send the file again: lines already stored come back unchanged.`
        : `Processing stopped on an internal error after line ${lastLine}. Send the file again: lines already stored come back unchanged.`
  return { line: 0, external_ref: null, errors: [{ path: 'body', message }] }
}

class ImportStopped extends Error {}

/**
 * Runs an import job: each chunk in its own transaction together with the progress it makes, so
 * the import row never claims lines that did not commit. The next chunk is validated while the
 * previous one is written.
 */
export async function runImport<T extends { external_ref?: string }>(
  run: ImportRun,
  kind: BulkKind<T>,
  ctx: BulkContext,
  source: AsyncIterable<RawLine[]> | Iterable<RawLine[]>,
): Promise<void> {
  const tally = new Tally()
  let kept = 0
  let lastLine = 0
  const save = (tx: Tx, errors: ImportLineError[], end?: 'succeeded' | 'failed') => {
    const total = end ? run.read() : Math.max(run.received(), lastLine)
    const done = end === 'succeeded' ? total : lastLine
    return recordProgress(tx, ctx.tenantId, run.importId, { ...tally, linesTotal: total, linesDone: done, status: end, finished: !!end }, errors)
  }
  let writing: Promise<void> = Promise.resolve()
  try {
    for await (const raw of inChunks(source, run.limits.chunkSize)) {
      const validated = await validateChunk(kind.schema, raw)
      await writing
      if (run.signal.aborted) throw new ImportStopped()
      writing = withTenant(run.db, ctx.tenantId, async (tx) => {
        const results = await storeValidated(tx, kind, ctx, validated)
        tally.add(results)
        lastLine = validated.lastLine
        const errors = results.filter((r) => r.status === 'rejected').slice(0, Math.max(0, MAX_KEPT_ERRORS - kept))
        kept += errors.length
        await save(tx, errors.map((r) => ({ line: r.line, external_ref: r.external_ref, errors: r.errors ?? [] })))
      })
      // Awaited on the next turn; until then a failure must not count as unhandled.
      writing.catch(() => undefined)
    }
    await writing
    await withTenant(run.db, ctx.tenantId, (tx) => save(tx, [], 'succeeded'))
  } catch (error) {
    await writing.catch(() => undefined)
    if (!(error instanceof UploadFailed || error instanceof ImportStopped)) run.log.error({ err: error, import_id: run.importId }, 'import failed')
    await withTenant(run.db, ctx.tenantId, (tx) => save(tx, [failure(error, lastLine)], 'failed')).catch((err: unknown) =>
      run.log.error({ err, import_id: run.importId }, 'import failure not recorded'),
    )
  }
}
