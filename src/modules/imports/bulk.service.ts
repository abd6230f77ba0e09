import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify'
import { withTenant, type Db } from '../../db/client.js'
import { requireTenant } from '../../platform/auth.js'
import { write } from '../../platform/request-context.js'
import { AppError } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { jsonArrayLines, ndjsonLines, type RawLine } from './bulk-lines.js'
import { runImport, runSync } from './bulk-runner.js'
import type { BulkContext, BulkKind } from './bulk-types.js'
import { BulkUpload, peek, readJsonArray, resume } from './bulk-upload.js'
import type { ImportJobs } from './import-jobs.js'
import type { BulkLimits } from './imports.config.js'
import { insertImport, recordUploadComplete, toImportDto } from './imports.repository.js'
import type { BulkResultDto, ImportDto } from './imports.schema.js'
import { Spool } from './spool.js'

export interface BulkDeps {
  db: Db
  limits: BulkLimits
  jobs: ImportJobs
  log: FastifyBaseLogger
}

interface JobSource {
  lines: AsyncIterable<RawLine[]> | Iterable<RawLine[]>
  received: () => number
  read: () => number
  /** Resolves when the whole body is here (the 202 waits for it); rejects if the upload broke off. */
  uploaded: Promise<void>
  cleanup?: () => Promise<void>
}

const wantsAsync = (request: FastifyRequest) => /(^|[\s,;])respond-async(?=$|[\s,;=])/i.test(String(request.headers.prefer ?? ''))

async function startImport<T extends { external_ref?: string }>(
  deps: BulkDeps,
  kind: BulkKind<T>,
  ctx: BulkContext,
  request: FastifyRequest,
  reply: FastifyReply,
  source: JobSource,
): Promise<ImportDto> {
  const importId = newId('import')
  await withTenant(deps.db, ctx.tenantId, (tx) =>
    insertImport(tx, { tenantId: ctx.tenantId, importId, kind: kind.name, status: 'running', linesTotal: source.received() }),
  )
  const run = { db: deps.db, log: deps.log, importId, limits: deps.limits, received: source.received, read: source.read }
  deps.jobs.start((signal) => runImport({ ...run, signal }, kind, ctx, source.lines).finally(() => source.cleanup?.()))
  try {
    await source.uploaded
  } catch (error) {
    // The job records why it stopped; the client (if still there) hears it too.
    reply.header('connection', 'close')
    throw error instanceof AppError ? error : new AppError('validation_failed', 'The upload was interrupted before its end.')
  }
  reply.header('location', `/v1/imports/${importId}`)
  if (wantsAsync(request)) reply.header('preference-applied', 'respond-async')
  const total = source.received()
  return write(deps.db, request, reply, 202, async (tx) => toImportDto((await recordUploadComplete(tx, ctx.tenantId, importId, total))!))
}

/**
 * POST /v1/{debtors,invoices,payments}/bulk. Up to `syncMaxLines` lines (and no `Prefer:
 * respond-async`): stored in one transaction with the Idempotency-Key answer, per-line results.
 * Beyond: an import job, answered 202 once the upload is complete, processed as it arrives.
 */
export async function handleBulk<T extends { external_ref?: string }>(
  deps: BulkDeps,
  kind: BulkKind<T>,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<BulkResultDto | ImportDto> {
  const ctx = { tenantId: requireTenant(request.principal), principal: request.principal }
  const upload = request.body
  if (!(upload instanceof BulkUpload)) {
    throw new AppError('unsupported_media_type', 'Send NDJSON (application/x-ndjson) or a JSON array (application/json).')
  }
  const sync = (lines: RawLine[]) => write(deps.db, request, reply, 200, (tx) => runSync(tx, kind, ctx, lines, deps.limits))
  try {
    if (upload.format === 'json') {
      const lines = jsonArrayLines(await readJsonArray(upload, deps.limits))
      if (!wantsAsync(request) && lines.length <= deps.limits.syncMaxLines) return await sync(lines)
      const count = () => lines.length
      return await startImport(deps, kind, ctx, request, reply, { lines: [lines], received: count, read: count, uploaded: Promise.resolve() })
    }
    const peeked = await peek(upload, deps.limits)
    if (peeked.ended && !wantsAsync(request) && peeked.lines <= deps.limits.syncMaxLines) {
      const lines: RawLine[] = []
      for await (const batch of ndjsonLines(peeked.head, deps.limits.lineMaxBytes)) lines.push(...batch)
      return await sync(lines)
    }
    const spool = await Spool.create()
    const uploaded = spool.fill(resume(peeked), deps.limits.uploadMaxBytes)
    uploaded.catch(() => undefined)
    const counter = { lines: 0 }
    return await startImport(deps, kind, ctx, request, reply, {
      lines: ndjsonLines(spool.read(), deps.limits.lineMaxBytes, counter),
      received: () => spool.lines,
      read: () => counter.lines,
      uploaded,
      cleanup: () => spool.remove(),
    })
  } catch (error) {
    // An answer before the whole body was read: do not wait for the rest of a large upload.
    if (error instanceof AppError && error.code === 'payload_too_large') reply.header('connection', 'close')
    throw error
  }
}
