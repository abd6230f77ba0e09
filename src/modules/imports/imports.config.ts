import type { Env } from '../../config/env.js'

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

/** The bulk endpoints' thresholds: two from the configuration, the rest fixed by design. */
export function bulkLimits(env: Pick<Env, 'RELANCE_BULK_SYNC_MAX_LINES' | 'RELANCE_BULK_CHUNK_SIZE'>): BulkLimits {
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
