import { z } from 'zod'

/**
 * Thresholds of the bulk endpoints. Read here rather than in config/env.ts so the module stays
 * self-contained; the defaults suit production, tests and benchmarks lower them.
 */
const schema = z.object({
  // Above this many lines (or with `Prefer: respond-async`) a bulk request runs as an import job.
  RELANCE_BULK_SYNC_MAX_LINES: z.coerce.number().int().min(1).max(100_000).default(10_000),
  // Lines per transaction: big enough for set-based SQL, small enough to keep locks short.
  RELANCE_BULK_CHUNK_SIZE: z.coerce.number().int().min(1).max(10_000).default(2_000),
})

export interface BulkLimits {
  syncMaxLines: number
  chunkSize: number
  /** A synchronous request holds at most this many bytes before it turns into an import job. */
  syncMaxBytes: number
  /** A JSON array is parsed in memory: beyond this size, NDJSON is the way. */
  jsonMaxBytes: number
  /** Hard limit of one upload (NDJSON streams through a spool file, never through memory). */
  uploadMaxBytes: number
  /** One NDJSON line; a longer one is rejected without being held in memory. */
  lineMaxBytes: number
  /** Up to this many lines the answer lists every line, beyond it only the rejected ones. */
  fullResultsMaxLines: number
}

export function bulkLimits(source: NodeJS.ProcessEnv = process.env): BulkLimits {
  const env = schema.parse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== '')))
  return {
    syncMaxLines: env.RELANCE_BULK_SYNC_MAX_LINES,
    chunkSize: env.RELANCE_BULK_CHUNK_SIZE,
    syncMaxBytes: 16 * 1024 * 1024,
    jsonMaxBytes: 32 * 1024 * 1024,
    uploadMaxBytes: 512 * 1024 * 1024,
    lineMaxBytes: 64 * 1024,
    fullResultsMaxLines: 1_000,
  }
}
