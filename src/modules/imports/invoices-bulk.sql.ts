import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import type { CreateInvoiceInput } from '../invoices/invoices.schema.js'
import type { DebtorRef } from './debtor-lookup.js'

export interface ExistingInvoice {
  invoice_id: string
  external_ref: string
  debtor_id: string
  currency: string
  amount_total: number
  amount_paid: number
  amount_credited: number
}

/**
 * One round trip before the upsert: the debtors the chunk names (by id or external_ref; the tenant
 * filter, and row-level security behind it, make another tenant's debtor unknown) and the invoices
 * it would update, locked in id order so two imports cannot deadlock.
 */
export async function readChunkContext(
  tx: Tx,
  tenantId: string,
  refs: string[],
  inputs: CreateInvoiceInput[],
): Promise<{ debtors: DebtorRef[]; existing: ExistingInvoice[]; country: string }> {
  const ids = [...new Set(inputs.flatMap((i) => (i.debtor_id ? [i.debtor_id] : [])))]
  const debtorRefs = [...new Set(inputs.flatMap((i) => (i.debtor_external_ref ? [i.debtor_external_ref] : [])))]
  // One index probe per ref (LATERAL ... LIMIT 1), whatever the statistics say: right after a big
  // load the tables have none yet, and the planner would scan them whole for every chunk.
  const result = await tx.execute<{ debtors: DebtorRef[]; existing: ExistingInvoice[]; country: string }>(sql`
    with existing as (
      select i.invoice_id, i.external_ref, i.debtor_id, i.currency, i.amount_total, i.amount_paid, i.amount_credited
      from unnest(${sql.param(refs)}::text[]) as r(ref)
      cross join lateral (
        select * from invoices where tenant_id = ${tenantId} and external_ref = r.ref limit 1
      ) i
      order by i.invoice_id for update of i
    ), named as (
      select d.debtor_id, d.external_ref, d.kind
      from unnest(${sql.param(debtorRefs)}::text[]) as r(ref)
      cross join lateral (select * from debtors where tenant_id = ${tenantId} and external_ref = r.ref limit 1) d
      union
      select d.debtor_id, d.external_ref, d.kind
      from unnest(${sql.param(ids)}::text[]) as r(id)
      cross join lateral (select * from debtors where tenant_id = ${tenantId} and debtor_id = r.id limit 1) d
    )
    select (select coalesce(json_agg(e), '[]') from existing e) as existing,
           (select coalesce(json_agg(n), '[]') from named n) as debtors,
           (select country from tenants where tenant_id = ${tenantId}) as country`)
  return result.rows[0]!
}

export interface PlannedInvoice {
  invoiceId: string
  ref: string
  debtorId: string
  input: CreateInvoiceInput
}

export interface CreatedEvent {
  ref: string
  id: string
  data: { object: unknown }
}

/**
 * The upsert, one statement per chunk, with the `invoice.created` events of the rows it inserts
 * (payloads built beforehand for the lines expected to be new). Payments and credit notes own
 * amount_paid / amount_credited, so an update never touches them; an identical row is not written.
 */
export async function upsertInvoices(
  tx: Tx,
  tenantId: string,
  planned: PlannedInvoice[],
  now: Date,
  created: CreatedEvent[],
): Promise<{ invoice_id: string; external_ref: string; inserted: boolean }[]> {
  const col = <V>(pick: (p: PlannedInvoice) => V) => sql.param(planned.map(pick))
  const tax = (p: PlannedInvoice) => p.input.amount_tax ?? 0
  const result = await tx.execute<{ invoice_id: string; external_ref: string; inserted: boolean }>(sql`
    with up as (
      insert into invoices (tenant_id, invoice_id, debtor_id, number, currency, amount_total, amount_tax, amount_net,
        issue_date, due_date, payment_terms_days, payment_link, external_ref, metadata, scenario_id, status, paid_at,
        next_action_at, created_at, updated_at)
      select ${tenantId}, v.*,
        case when v.amount_total = 0 then 'paid' else 'open' end,
        case when v.amount_total = 0 then ${now.toISOString()}::timestamptz end,
        -- epoch: the engine plans it at its next pass, whatever the tenant's (test) clock says
        case when v.amount_total = 0 then null else 'epoch'::timestamptz end,
        ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
      from unnest(
        ${col((p) => p.invoiceId)}::text[], ${col((p) => p.debtorId)}::text[], ${col((p) => p.input.number)}::text[],
        ${col((p) => p.input.currency)}::text[], ${col((p) => p.input.amount_total)}::bigint[], ${col(tax)}::bigint[],
        ${col((p) => p.input.amount_net ?? p.input.amount_total - tax(p))}::bigint[],
        ${col((p) => p.input.issue_date)}::date[], ${col((p) => p.input.due_date)}::date[],
        ${col((p) => p.input.payment_terms_days ?? null)}::int[], ${col((p) => p.input.payment_link ?? null)}::text[],
        ${col((p) => p.ref)}::text[], ${col((p) => JSON.stringify(p.input.metadata ?? {}))}::jsonb[],
        ${col((p) => p.input.scenario_id ?? null)}::text[]
      ) as v(invoice_id, debtor_id, number, currency, amount_total, amount_tax, amount_net, issue_date, due_date,
             payment_terms_days, payment_link, external_ref, metadata, scenario_id)
      on conflict (tenant_id, external_ref) do update set
        number = excluded.number, amount_total = excluded.amount_total, amount_tax = excluded.amount_tax,
        amount_net = excluded.amount_net, issue_date = excluded.issue_date, due_date = excluded.due_date,
        payment_terms_days = excluded.payment_terms_days, payment_link = excluded.payment_link,
        metadata = excluded.metadata, updated_at = now(),
        -- new dates or amounts may change the plan: the engine looks again at what it chases
        next_action_at = case when invoices.status in ('open', 'partially_paid') then 'epoch'::timestamptz else invoices.next_action_at end
      where (invoices.number, invoices.amount_total, invoices.amount_tax, invoices.amount_net, invoices.issue_date,
             invoices.due_date, invoices.payment_terms_days, invoices.payment_link, invoices.metadata)
        is distinct from (excluded.number, excluded.amount_total, excluded.amount_tax, excluded.amount_net, excluded.issue_date,
             excluded.due_date, excluded.payment_terms_days, excluded.payment_link, excluded.metadata)
      returning invoices.invoice_id, invoices.external_ref, (xmax = 0) as inserted
    ), events as (
      insert into events (tenant_id, event_id, type, object_id, data)
      select ${tenantId}, e.id, 'invoice.created', up.invoice_id, e.data
      from up join jsonb_to_recordset(${JSON.stringify(created)}::jsonb) as e(ref text, id text, data jsonb) on e.ref = up.external_ref
      where up.inserted
    )
    select invoice_id, external_ref, inserted from up`)
  return result.rows
}
