import type { Tx } from '../../db/client.js'
import { page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { firstBreak, type AuditEntry } from './audit-hash.js'
import * as repo from './audit.repository.js'
import type { AuditEntryDto, AuditVerification, ListAuditQuery } from './audit.schema.js'

const VERIFY_PAGE = 5_000

export function toAuditDto(entry: AuditEntry): AuditEntryDto {
  const { tenant_id: _tenant, ...rest } = entry
  return { object: 'audit_entry', ...rest }
}

export async function listAudit(tx: Tx, principal: Principal, query: ListAuditQuery) {
  const rows = await repo.listEntries(tx, requireTenant(principal), {
    limit: query.limit,
    afterSequence: query.starting_after,
    objectId: query.object_id,
    debtorId: query.debtor_id,
    action: query.action,
    occurredAfter: query.occurred_after ? new Date(query.occurred_after) : undefined,
    occurredBefore: query.occurred_before ? new Date(query.occurred_before) : undefined,
  })
  return page(rows.map(toAuditDto), query.limit)
}

/**
 * Walks one tenant's whole chain in order, recomputing every hash, and stops at the first entry
 * that does not match: the place where the log was changed.
 */
export async function verifyChain(tx: Tx, tenantId: string): Promise<AuditVerification> {
  let previous: { sequence: number; hash: string } | null = null
  let checked = 0
  for (;;) {
    const entries = await repo.chainPage(tx, tenantId, previous?.sequence ?? 0, VERIFY_PAGE)
    if (!entries.length) break
    const broken = firstBreak(entries, previous)
    if (broken) {
      checked += entries.findIndex((e) => e.sequence === broken.sequence) + 1
      return { object: 'audit_verification', ok: false, checked, first_broken: broken, head: await repo.chainHead(tx, tenantId), verified_at: new Date().toISOString() }
    }
    checked += entries.length
    const last = entries.at(-1)!
    previous = { sequence: last.sequence, hash: last.hash }
  }
  return { object: 'audit_verification', ok: true, checked, first_broken: null, head: previous, verified_at: new Date().toISOString() }
}

export const verifyAudit = (tx: Tx, principal: Principal) => verifyChain(tx, requireTenant(principal))
