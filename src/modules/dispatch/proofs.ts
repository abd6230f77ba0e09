import { sql } from 'drizzle-orm'
import { withTenant, type Db } from '../../db/client.js'
import { sha256Hex } from '../../shared/crypto.js'
import { newId } from '../../shared/ids.js'
import type { ChannelDriver, ConnectionContext, ProofRef } from '../channels/channel-driver.js'
import { emitEvents } from '../events/events.service.js'

export interface PendingProof {
  dispatchId: string
  proof: ProofRef
}

/**
 * Downloads each proof not stored yet, hashes it and keeps it (PostgreSQL by default), announcing
 * each with proof.received. A proof that cannot be fetched now is fetched at the next callback or
 * poll: its locator stays unknown to the table until it is stored.
 */
export async function collectProofs(db: Db, conn: ConnectionContext, driver: ChannelDriver, pending: PendingProof[]): Promise<number> {
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
    const proofId = newId('proof')
    const sha256 = sha256Hex(fetched.content)
    await withTenant(db, conn.tenantId, async (tx) => {
      const inserted = await tx.execute(sql`
        insert into dispatch_proofs (tenant_id, proof_id, dispatch_id, kind, locator, filename, content_type, sha256, size, content)
        values (${conn.tenantId}, ${proofId}, ${item.dispatchId}, ${item.proof.kind}, ${item.proof.locator}, ${fetched.filename},
                ${fetched.contentType}, ${sha256}, ${fetched.content.length}, ${fetched.content})
        on conflict do nothing`)
      if (!inserted.rowCount) return
      stored++
      await emitEvents(tx, conn.tenantId, [
        {
          type: 'proof.received',
          objectId: proofId,
          object: { object: 'proof', id: proofId, dispatch_id: item.dispatchId, kind: item.proof.kind, filename: fetched.filename, content_type: fetched.contentType, sha256, size: fetched.content.length },
        },
      ])
    })
  }
  return stored
}
