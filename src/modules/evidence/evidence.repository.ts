import { sql } from 'drizzle-orm'
import { defaultProofStorage, proofContent, type ProofStorage } from '../dispatch/proof-storage.js'
import type { Tx } from '../../db/client.js'

export type CaseDispatch = {
  dispatch_id: string
  step_key: string
  channel: string
  template: string
  status: string
  scenario_id: string
  scenario_version: number
  scheduled_at: Date
  sent_at: Date | null
  driver: string | null
  provider_ref: string | null
  failure_code: string | null
  failure_reason: string | null
  content: { subject?: string | null; text?: string | null; html?: string | null; letter_sha256?: string } | null
  letter_sha256: string | null
  invoice_ids: string[]
  timeline: { status: string | null; raw_status: string; reason: string | null; occurred_at: string }[]
}

export type CaseProof = {
  proof_id: string
  dispatch_id: string
  kind: string
  locator: string
  filename: string
  content_type: string
  sha256: string
  size: number
  created_at: Date
  content: Buffer | null
}

export type CaseSettlement = {
  kind: 'payment' | 'credit_note'
  id: string
  invoice_id: string
  amount: number
  currency: string
  settled_on: string
  reversed: boolean
}

/**
 * When the dispatch went: its 'sent' timeline entry, stamped with the tenant's time (a sandbox's
 * test clock), rather than sent_at, which is the server's. Unsent ones: when they were due.
 */
export function whenSent(d: CaseDispatch): Date {
  const sent = d.timeline.find((e) => e.status && e.status !== 'queued' && e.status !== 'sending')
  return sent ? new Date(sent.occurred_at) : (d.sent_at ?? d.scheduled_at)
}

/** The dispatches of a debtor (only those carrying `invoiceIds` when given), oldest first, with their timeline. */
export async function caseDispatches(tx: Tx, tenantId: string, debtorId: string, invoiceIds: string[] | null): Promise<CaseDispatch[]> {
  const rows = await tx.execute<CaseDispatch>(sql`
    select s.dispatch_id, s.step_key, s.channel, s.template, s.status, s.scenario_id, s.scenario_version, s.scheduled_at, s.sent_at,
           s.driver, s.provider_ref, s.failure_code, s.failure_reason, s.content, s.letter_sha256,
           (select coalesce(array_agg(x.invoice_id order by x.invoice_id), '{}') from dispatch_items x
             where x.tenant_id = s.tenant_id and x.dispatch_id = s.dispatch_id) as invoice_ids,
           (select coalesce(json_agg(json_build_object('status', e.status, 'raw_status', e.raw_status, 'reason', e.reason,
                     'occurred_at', to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) order by e.occurred_at, e.event_id), '[]')
              from dispatch_events e where e.tenant_id = s.tenant_id and e.dispatch_id = s.dispatch_id) as timeline
    from dispatches s
    where s.tenant_id = ${tenantId} and s.debtor_id = ${debtorId}
      and (${invoiceIds === null} or exists (select 1 from dispatch_items x where x.tenant_id = s.tenant_id
             and x.dispatch_id = s.dispatch_id and x.invoice_id = any(${sql.param(invoiceIds ?? [])}::text[])))
    order by s.scheduled_at, s.dispatch_id`)
  return rows.rows.map((r) => ({ ...r, scheduled_at: new Date(r.scheduled_at), sent_at: r.sent_at && new Date(r.sent_at), scenario_version: Number(r.scenario_version) }))
}

/** The case's proofs with their bytes, wherever they are kept (checked against their sha256). */
export async function caseProofs(tx: Tx, tenantId: string, dispatchIds: string[], storage: ProofStorage = defaultProofStorage): Promise<CaseProof[]> {
  const rows = await tx.execute<CaseProof & { tenant_id: string; storage: string }>(sql`
    select tenant_id, storage, proof_id, dispatch_id, kind, locator, filename, content_type, sha256, size, created_at, content from dispatch_proofs
    where tenant_id = ${tenantId} and dispatch_id = any(${sql.param(dispatchIds)}::text[])
    order by created_at, proof_id`)
  const proofs: CaseProof[] = []
  for (const { tenant_id: _tenant, storage: _storage, ...r } of rows.rows) {
    proofs.push({ ...r, size: Number(r.size), created_at: new Date(r.created_at), content: await proofContent(storage, { tenant_id: _tenant, storage: _storage, sha256: r.sha256, content: r.content }) })
  }
  return proofs
}

export async function invoiceDocuments(tx: Tx, tenantId: string, invoiceIds: string[]) {
  const rows = await tx.execute<{ invoice_id: string; filename: string; content_type: string; sha256: string; content: Buffer }>(sql`
    select invoice_id, filename, content_type, sha256, content from invoice_documents
    where tenant_id = ${tenantId} and invoice_id = any(${sql.param(invoiceIds)}::text[]) order by invoice_id`)
  return rows.rows
}

/** Money applied to the invoices: payments and credit notes, with their dates. */
export async function caseSettlements(tx: Tx, tenantId: string, invoiceIds: string[]): Promise<CaseSettlement[]> {
  const rows = await tx.execute<CaseSettlement>(sql`
    select 'payment' as kind, p.payment_id as id, a.invoice_id, a.amount, p.currency, p.received_on::text as settled_on,
           (a.reversed_at is not null or p.reversed_at is not null) as reversed
    from allocations a join payments p on p.tenant_id = a.tenant_id and p.payment_id = a.payment_id
    where a.tenant_id = ${tenantId} and a.invoice_id = any(${sql.param(invoiceIds)}::text[])
    union all
    select 'credit_note', c.credit_note_id, a.invoice_id, a.amount, c.currency, c.issue_date::text, a.reversed_at is not null
    from allocations a join credit_notes c on c.tenant_id = a.tenant_id and c.credit_note_id = a.credit_note_id
    where a.tenant_id = ${tenantId} and a.invoice_id = any(${sql.param(invoiceIds)}::text[])
    order by settled_on, id`)
  return rows.rows.map((r) => ({ ...r, amount: Number(r.amount) }))
}

export async function tenantName(tx: Tx, tenantId: string): Promise<string> {
  const rows = await tx.execute<{ name: string }>(sql`select name from tenants where tenant_id = ${tenantId}`)
  return rows.rows[0]?.name ?? tenantId
}
