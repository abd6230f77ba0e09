import { sha256Hex } from '../../shared/crypto.js'

/** The previous hash of a tenant's first entry. */
export const GENESIS_HASH = '0'.repeat(64)

/** One audit entry as stored and as the dossier manifest carries it. */
export interface AuditEntry {
  tenant_id: string
  sequence: number
  /** RFC 3339 UTC with milliseconds, exactly as hashed. */
  occurred_at: string
  actor: string
  action: string
  object_type: string
  object_id: string
  debtor_id: string | null
  event_id: string
  /** The object's JSON text exactly as hashed (snapshot_sha256 is over its UTF-8 bytes). */
  snapshot: string
  snapshot_sha256: string
  prev_hash: string
  hash: string
}

/**
 * The bytes an entry's hash covers: these fields, one per line (LF, no final newline), UTF-8.
 * The same text is built in SQL by audit_chain_pending() (migrations) — change both or neither.
 * Every field is an id, a name or a hex digest, so none can hold a line break; the snapshot is
 * covered through its own sha256, which lets an entry be checked without disclosing it.
 */
export function canonicalLine(entry: Omit<AuditEntry, 'hash' | 'snapshot'>): string {
  return [
    'relance-audit-v1',
    entry.tenant_id,
    String(entry.sequence),
    entry.occurred_at,
    entry.actor,
    entry.action,
    entry.object_type,
    entry.object_id,
    entry.debtor_id ?? '',
    entry.event_id,
    entry.snapshot_sha256,
    entry.prev_hash,
  ].join('\n')
}

export type BreakReason = 'sequence_gap' | 'prev_hash_mismatch' | 'snapshot_hash_mismatch' | 'hash_mismatch'

export interface ChainBreak {
  sequence: number
  reason: BreakReason
}

/**
 * Checks entries that follow each other in the chain; `previous` is the entry before the first
 * one (null when the first one must be sequence 1). Returns the first break, or null.
 */
export function firstBreak(entries: readonly AuditEntry[], previous: { sequence: number; hash: string } | null): ChainBreak | null {
  let expected = previous ? previous.sequence + 1 : 1
  let prev = previous?.hash ?? GENESIS_HASH
  for (const entry of entries) {
    if (entry.sequence !== expected) return { sequence: entry.sequence, reason: 'sequence_gap' }
    if (entry.prev_hash !== prev) return { sequence: entry.sequence, reason: 'prev_hash_mismatch' }
    if (sha256Hex(Buffer.from(entry.snapshot, 'utf8')) !== entry.snapshot_sha256) return { sequence: entry.sequence, reason: 'snapshot_hash_mismatch' }
    if (sha256Hex(Buffer.from(canonicalLine(entry), 'utf8')) !== entry.hash) return { sequence: entry.sequence, reason: 'hash_mismatch' }
    expected = entry.sequence + 1
    prev = entry.hash
  }
  return null
}

/** Checks each entry on its own (a dossier's slice is not contiguous): its snapshot and its hash. */
export function entryIntact(entry: AuditEntry): boolean {
  return (
    sha256Hex(Buffer.from(entry.snapshot, 'utf8')) === entry.snapshot_sha256 &&
    sha256Hex(Buffer.from(canonicalLine(entry), 'utf8')) === entry.hash
  )
}
