import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'

/** An invoice the engine has to look at, with what it needs to plan it. */
export type DueInvoice = {
  tenant_id: string
  invoice_id: string
  debtor_id: string
  currency: string
  amount_due: number
  due_date: string
  status: 'open' | 'partially_paid' | 'paid' | 'disputed' | 'cancelled' | 'written_off'
  dunning_scenario_id: string | null
  dunning_version: number | null
  dunning_step: number
  dunning_step_at: Date | null
  dunning_outcome: 'delivered' | 'not_delivered' | null
  case_id: string | null
  /** The invoice's own scenario override. */
  scenario_id: string | null
}

/**
 * Claims up to `limit` invoices whose next_action_at has come, skipping rows another worker holds:
 * two workers never plan the same invoice at once. Only the partial index on next_action_at is read.
 * `scope` picks one tenant as of its test clock, or every tenant that runs on the wall clock.
 */
export const INVOICE_STATE = sql`i.tenant_id, i.invoice_id, i.debtor_id, i.currency,
  greatest(i.amount_total - i.amount_paid - i.amount_credited, 0)::float8 as amount_due,
  i.due_date::text as due_date, i.status, i.dunning_scenario_id, i.dunning_version, i.dunning_step,
  i.dunning_step_at, i.dunning_outcome, i.case_id, i.scenario_id`

// Raw rows carry timestamps as text (the driver's parser is Drizzle's): make them instants.
export const toDueInvoice = (r: DueInvoice): DueInvoice => ({
  ...r,
  amount_due: Number(r.amount_due),
  dunning_step_at: r.dunning_step_at ? new Date(r.dunning_step_at) : null,
})

/** A debtor's invoices the engine may still chase, for timelines and previews (no lock taken). */
export async function collectableInvoicesOf(tx: Tx, tenantId: string, debtorId: string): Promise<DueInvoice[]> {
  const result = await tx.execute<DueInvoice>(sql`
    select ${INVOICE_STATE} from invoices i
    where i.tenant_id = ${tenantId} and i.debtor_id = ${debtorId} and i.status in ('open', 'partially_paid')
    order by i.due_date, i.invoice_id`)
  return result.rows.map(toDueInvoice)
}

export async function claimDueInvoices(
  tx: Tx,
  now: Date,
  limit: number,
  scope: { tenantId: string } | { wallClockTenants: true },
): Promise<DueInvoice[]> {
  const tenantFilter =
    'tenantId' in scope
      ? sql`i.tenant_id = ${scope.tenantId}`
      : sql`not exists (select 1 from test_clocks c where c.tenant_id = i.tenant_id and c.attached)`
  const result = await tx.execute<DueInvoice>(sql`
    select ${INVOICE_STATE}
    from invoices i
    where i.next_action_at is not null and i.next_action_at <= ${now.toISOString()}::timestamptz and ${tenantFilter}
    order by i.next_action_at, i.tenant_id, i.debtor_id
    limit ${limit}
    for update of i skip locked`)
  return result.rows.map(toDueInvoice)
}

/** What the debtor already has queued: a step of another invoice may join it instead of a new message. */
export type QueuedDispatch = {
  dispatch_id: string
  step_key: string
  channel: string
  template: string
  scheduled_at: string
  scenario_id: string
  version: number
  invoice_ids: string[]
}

export type DebtorFacts = {
  tenant_id: string
  debtor_id: string
  kind: 'business' | 'consumer' | 'public_body'
  segment: string | null
  country: string
  timezone: string
  language: string
  lre_consent: boolean
  scenario_id: string | null
  on_hold: boolean
  held_invoices: string[]
  planned_invoices: string[]
  last_contact_at: Date | null
  contacts: Date[]
  queued: QueuedDispatch[]
}

const pairs = (rows: { tenant_id: string; debtor_id: string }[]) => ({
  tenants: sql.param(rows.map((r) => r.tenant_id)),
  debtors: sql.param(rows.map((r) => r.debtor_id)),
})

/**
 * One debtor is planned by one worker at a time, so its invoices share one message: locks the
 * debtors no one else is planning (SKIP LOCKED) and returns them. A statement of its own, because
 * a statement that locks a row reads everything else as of its start: had the facts been read in
 * it, a worker taking a debtor just released could miss the dispatch the other one had committed
 * meanwhile, and send the same step a second time (the workers bench caught 2 in 3,000).
 */
async function lockDebtors<T extends { tenant_id: string; debtor_id: string }>(tx: Tx, wanted: T[]): Promise<T[]> {
  const { tenants, debtors } = pairs(wanted)
  const locked = await tx.execute<{ tenant_id: string; debtor_id: string }>(sql`
    select d.tenant_id, d.debtor_id from debtors d
    join (select unnest(${tenants}::text[]) as tenant_id, unnest(${debtors}::text[]) as debtor_id) w
      on w.tenant_id = d.tenant_id and w.debtor_id = d.debtor_id
    for update of d skip locked`)
  const mine = new Set(locked.rows.map((r) => `${r.tenant_id}/${r.debtor_id}`))
  return wanted.filter((w) => mine.has(`${w.tenant_id}/${w.debtor_id}`))
}

/**
 * Everything about the claimed invoices' debtors in one statement: identity, active holds (whole
 * debtor or per invoice), invoices in an active payment plan, and recent contacts for the gap and
 * cap rules. A fixed number of round trips per chunk, whatever its size.
 */
export async function loadDebtorFacts(
  tx: Tx,
  invoices: Pick<DueInvoice, 'tenant_id' | 'debtor_id'>[],
  now: Date,
  lock = true,
): Promise<Map<string, DebtorFacts>> {
  let unique = [...new Map(invoices.map((i) => [`${i.tenant_id}/${i.debtor_id}`, i])).values()]
  if (lock && unique.length) unique = await lockDebtors(tx, unique)
  if (!unique.length) return new Map()
  const { tenants, debtors } = pairs(unique)
  const result = await tx.execute<Omit<DebtorFacts, 'contacts'> & { contacts: string[] }>(sql`
    with wanted as (
      select unnest(${tenants}::text[]) as tenant_id, unnest(${debtors}::text[]) as debtor_id
    )
    select d.tenant_id, d.debtor_id, d.kind, d.segment, d.country, d.timezone, d.language,
           (d.kind <> 'consumer' or d.lre_consent_on is not null) as lre_consent, d.scenario_id,
           exists (select 1 from holds h where h.tenant_id = d.tenant_id and h.debtor_id = d.debtor_id
                   and h.status = 'active' and h.invoice_id is null) as on_hold,
           coalesce((select array_agg(h.invoice_id) from holds h where h.tenant_id = d.tenant_id
                   and h.debtor_id = d.debtor_id and h.status = 'active' and h.invoice_id is not null), '{}') as held_invoices,
           coalesce((select array_agg(distinct x) from payment_plans p, unnest(p.invoice_ids) x
                   where p.tenant_id = d.tenant_id and p.debtor_id = d.debtor_id and p.status = 'active'), '{}') as planned_invoices,
           (select max(s.scheduled_at) from dispatches s where s.tenant_id = d.tenant_id and s.debtor_id = d.debtor_id
                   and s.status <> 'cancelled' and s.channel <> 'litigation_handoff') as last_contact_at,
           -- json, not timestamptz[]: the driver hands timestamp arrays back as unparsed text.
           coalesce((select json_agg(s.scheduled_at) from dispatches s where s.tenant_id = d.tenant_id
                   and s.debtor_id = d.debtor_id and s.status <> 'cancelled' and s.channel <> 'litigation_handoff'
                   and s.scheduled_at > ${now.toISOString()}::timestamptz - interval '366 days'), '[]') as contacts,
           coalesce((select json_agg(json_build_object('dispatch_id', s.dispatch_id, 'step_key', s.step_key,
                     'channel', s.channel, 'template', s.template, 'scheduled_at', s.scheduled_at,
                     'scenario_id', s.scenario_id, 'version', s.scenario_version,
                     'invoice_ids', s.details->'invoice_ids'))
                   from dispatches s where s.tenant_id = d.tenant_id and s.debtor_id = d.debtor_id
                   and s.status = 'queued'), '[]') as queued
    from debtors d join wanted w on w.tenant_id = d.tenant_id and w.debtor_id = d.debtor_id`)
  return new Map(
    result.rows.map((r) => [
      `${r.tenant_id}/${r.debtor_id}`,
      { ...r, last_contact_at: r.last_contact_at ? new Date(r.last_contact_at) : null, contacts: r.contacts.map((c) => new Date(c)) },
    ]),
  )
}

export interface InvoiceAdvance {
  tenantId: string
  invoiceId: string
  nextActionAt: Date | null
  scenarioId: string | null
  version: number | null
  step: number
  stepAt: Date | null
  caseId: string | null
}

/** Writes the new dunning state of every planned invoice in one statement. */
export async function advanceInvoices(tx: Tx, rows: InvoiceAdvance[]): Promise<void> {
  if (!rows.length) return
  const col = <T>(pick: (r: InvoiceAdvance) => T) => sql.param(rows.map(pick))
  await tx.execute(sql`
    update invoices i set
      next_action_at = v.next_action_at, dunning_scenario_id = v.scenario_id, dunning_version = v.version,
      dunning_step = v.step, dunning_step_at = v.step_at, case_id = v.case_id,
      dunning_outcome = case when v.step <> i.dunning_step then null else i.dunning_outcome end
    from (select unnest(${col((r) => r.tenantId)}::text[]) as tenant_id,
                 unnest(${col((r) => r.invoiceId)}::text[]) as invoice_id,
                 unnest(${col((r) => r.nextActionAt?.toISOString() ?? null)}::timestamptz[]) as next_action_at,
                 unnest(${col((r) => r.scenarioId)}::text[]) as scenario_id,
                 unnest(${col((r) => r.version)}::int[]) as version,
                 unnest(${col((r) => r.step)}::int[]) as step,
                 unnest(${col((r) => r.stepAt?.toISOString() ?? null)}::timestamptz[]) as step_at,
                 unnest(${col((r) => r.caseId)}::text[]) as case_id) v
    where i.tenant_id = v.tenant_id and i.invoice_id = v.invoice_id`)
}
