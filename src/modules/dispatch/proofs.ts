import { sql } from 'drizzle-orm'
import { withTenant, type Db } from '../../db/client.js'
import { sha256Hex } from '../../shared/crypto.js'
import { newId } from '../../shared/ids.js'
import type { ChannelDriver, ConnectionContext, ProofRef } from '../channels/channel-driver.js'
import { emitEvents } from '../events/events.service.js'
import { defaultProofStorage, type ProofStorage } from './proof-storage.js'

export interface PendingProof {
  dispatchId: string
  proof: ProofRef
}

/**
 * Downloads each proof not stored yet, hashes it and keeps it (PostgreSQL by default), announcing
 * each with proof.received. A proof that cannot be fetched now is fetched at the next callback or
 * poll: its locator stays unknown to the table until it is stored.
 */
export async function collectProofs(
  db: Db,
  conn: ConnectionContext,
  driver: ChannelDriver,
  pending: PendingProof[],
  storage: ProofStorage = defaultProofStorage,
): Promise<number> {
  if (!pending.length) return 0
  const known = await withTenant(db, conn.tenantId, (tx) =>
    tx.execute<{ dispatch_id: string; locator: string }>(sql`
      select dispatch_id, locator from dispatch_proofs where tenant_id = ${conn.tenantId}
        and dispatch_id = any(${sql.param([...new Set(pending.map((p) => p.dispatchId))])}::text[])`),
  )
  const have = new Set(known.rows.map((r) => `${r.dispatch_id}/${r.locator}`))
  const fresh = [...new Map(pending.filter((p) => !have.has(`${p.dispatchId}/${p.proof.locator}`)).map((p) => [`${p.dispatchId}/${p.proof.locator}`, p])).values()]
  let stored = 0
  for (const item of fresh) {
    let fetched
    try {
      fetched = await driver.fetchProof(conn, item.proof)
    } catch {
      continue
    }
    if (await storeProof(db, storage, conn.tenantId, item.dispatchId, item.proof, fetched)) stored++
  }
  return stored
}

/** Keeps one proof file and announces it; false when that locator was stored already. */
async function storeProof(
  db: Db,
  storage: ProofStorage,
  tenantId: string,
  dispatchId: string,
  ref: ProofRef,
  file: { filename: string; contentType: string; content: Buffer },
): Promise<boolean> {
  const proofId = newId('proof')
  const sha256 = sha256Hex(file.content)
  // Written before the row: a row never points at a file that is not there (a file without its
  // row, after a crash, is stored again under the same name at the next attempt).
  const inRow = await storage.writer.put(tenantId, sha256, file.content)
  return withTenant(db, tenantId, async (tx) => {
    const inserted = await tx.execute(sql`
      insert into dispatch_proofs (tenant_id, proof_id, dispatch_id, kind, locator, filename, content_type, sha256, size, storage, content)
      values (${tenantId}, ${proofId}, ${dispatchId}, ${ref.kind}, ${ref.locator}, ${file.filename},
              ${file.contentType}, ${sha256}, ${file.content.length}, ${storage.writer.kind}, ${inRow})
      on conflict do nothing`)
    if (!inserted.rowCount) return false
    await emitEvents(tx, tenantId, [
      {
        type: 'proof.received',
        objectId: proofId,
        object: { object: 'proof', id: proofId, dispatch_id: dispatchId, kind: ref.kind, filename: file.filename, content_type: file.contentType, sha256, size: file.content.length },
      },
    ])
    return true
  })
}

/** Locator of the letter Relance rendered and handed over: distinct from any provider's own. */
export const SENT_LETTER_LOCATOR = 'relance:sent-letter'

/**
 * The letter PDF exactly as handed to the provider, kept as a `content` proof: re-rendering later
 * would not be "as sent" (templates, rates and the tenant's data change). Sent again after a
 * crash, it is the same dispatch and locator, so it is kept once.
 */
export async function keepSentLetter(db: Db, tenantId: string, dispatchId: string, pdf: Buffer, storage: ProofStorage = defaultProofStorage): Promise<void> {
  await storeProof(db, storage, tenantId, dispatchId, { kind: 'content', locator: SENT_LETTER_LOCATOR }, { filename: `${dispatchId}.pdf`, contentType: 'application/pdf', content: pdf })
}

/** The sha256 of the letter kept for a dispatch, if it was kept: a send recovered after a crash keeps naming it. */
export async function keptLetterSha256(db: Db, tenantId: string, dispatchId: string): Promise<string | null> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx.execute<{ sha256: string }>(sql`
      select sha256 from dispatch_proofs where tenant_id = ${tenantId} and dispatch_id = ${dispatchId} and locator = ${SENT_LETTER_LOCATOR}`),
  )
  return rows.rows[0]?.sha256 ?? null
}
