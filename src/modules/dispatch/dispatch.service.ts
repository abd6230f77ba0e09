import { sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { notFound } from '../../shared/errors.js'
import { defaultProofStorage, proofContent, type ProofStorage } from './proof-storage.js'
import type { DispatchDto, ListDispatchesQuery } from './dispatch.schema.js'

type Raw = Record<string, unknown> & { dispatch_id: string }

const ts = (v: unknown) => (v ? iso(new Date(v as string)) : null)

function toDto(r: Raw): DispatchDto {
  return {
    object: 'dispatch',
    id: r.dispatch_id,
    debtor_id: r.debtor_id as string,
    invoice_ids: ((r.details as { invoice_ids?: string[] }).invoice_ids ?? []) as string[],
    step_key: r.step_key as string,
    channel: r.channel as DispatchDto['channel'],
    template: r.template as string,
    language: r.language as string,
    scenario_id: r.scenario_id as string,
    scenario_version: Number(r.scenario_version),
    status: r.status as DispatchDto['status'],
    scheduled_at: ts(r.scheduled_at)!,
    sent_at: ts(r.sent_at),
    attempts: Number(r.attempts),
    connection_id: (r.connection_id as string) ?? null,
    driver: (r.driver as string) ?? null,
    provider_ref: (r.provider_ref as string) ?? null,
    failure_code: (r.failure_code as string) ?? null,
    failure_reason: (r.failure_reason as string) ?? null,
    cost: r.cost_amount === null || r.cost_amount === undefined ? null : { amount: Number(r.cost_amount), currency: r.cost_currency as string },
    content: (r.content as Record<string, unknown>) ?? null,
    letter_sha256: (r.letter_sha256 as string) ?? null,
    created_at: ts(r.created_at)!,
    updated_at: ts(r.updated_at)!,
  }
}

export async function listDispatches(tx: Tx, principal: Principal, q: ListDispatchesQuery) {
  const tenantId = requireTenant(principal)
  const where: SQL[] = [sql`s.tenant_id = ${tenantId}`]
  if (q.starting_after) where.push(sql`s.dispatch_id < ${q.starting_after}`)
  if (q.status) where.push(sql`s.status = ${q.status}`)
  if (q.channel) where.push(sql`s.channel = ${q.channel}`)
  if (q.debtor_id) where.push(sql`s.debtor_id = ${q.debtor_id}`)
  if (q.step_key) where.push(sql`s.step_key = ${q.step_key}`)
  if (q.created_after) where.push(sql`s.created_at >= ${q.created_after}::timestamptz`)
  if (q.created_before) where.push(sql`s.created_at < ${q.created_before}::timestamptz`)
  if (q.invoice_id) {
    where.push(sql`exists (select 1 from dispatch_items x where x.tenant_id = s.tenant_id and x.dispatch_id = s.dispatch_id and x.invoice_id = ${q.invoice_id})`)
  }
  const rows = await tx.execute<Raw>(sql`select s.* from dispatches s where ${sql.join(where, sql` and `)} order by s.dispatch_id desc limit ${q.limit + 1}`)
  return page(rows.rows.map(toDto), q.limit)
}

export async function getDispatch(tx: Tx, principal: Principal, dispatchId: string): Promise<DispatchDto> {
  const tenantId = requireTenant(principal)
  const rows = await tx.execute<Raw>(sql`select * from dispatches where tenant_id = ${tenantId} and dispatch_id = ${dispatchId}`)
  if (!rows.rows[0]) throw notFound('dispatch', dispatchId)
  const timeline = await tx.execute<{ status: string | null; raw_status: string; reason: string | null; occurred_at: string }>(sql`
    select status, raw_status, reason, occurred_at from dispatch_events
    where tenant_id = ${tenantId} and dispatch_id = ${dispatchId} order by occurred_at, event_id`)
  return { ...toDto(rows.rows[0]), timeline: timeline.rows.map((e) => ({ ...e, occurred_at: ts(e.occurred_at)! })) }
}

const PROOF_COLUMNS = sql`proof_id, dispatch_id, kind, filename, content_type, sha256, size, created_at`

export async function listProofs(tx: Tx, principal: Principal, dispatchId: string) {
  await getDispatch(tx, principal, dispatchId)
  const rows = await tx.execute<{ proof_id: string; dispatch_id: string; kind: string; filename: string; content_type: string; sha256: string; size: number; created_at: string }>(sql`
    select ${PROOF_COLUMNS} from dispatch_proofs where tenant_id = ${principal.tenantId} and dispatch_id = ${dispatchId} order by created_at, proof_id`)
  return {
    object: 'list' as const,
    has_more: false,
    data: rows.rows.map((r) => ({ object: 'proof' as const, id: r.proof_id, dispatch_id: r.dispatch_id, kind: r.kind, filename: r.filename, content_type: r.content_type, sha256: r.sha256, size: Number(r.size), created_at: ts(r.created_at)! })),
  }
}

export async function downloadProof(tx: Tx, principal: Principal, dispatchId: string, proofId: string, storage: ProofStorage = defaultProofStorage) {
  const tenantId = requireTenant(principal)
  const rows = await tx.execute<{ tenant_id: string; storage: string; filename: string; content_type: string; sha256: string; content: Buffer | null }>(sql`
    select tenant_id, storage, filename, content_type, sha256, content from dispatch_proofs
    where tenant_id = ${tenantId} and dispatch_id = ${dispatchId} and proof_id = ${proofId}`)
  const row = rows.rows[0]
  if (!row) throw notFound('proof', proofId)
  return { filename: row.filename, contentType: row.content_type, sha256: row.sha256, content: await proofContent(storage, row) }
}
