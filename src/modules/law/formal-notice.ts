import { sql, type SQL } from 'drizzle-orm'

/**
 * Which dispatch is the formal notice (mise en demeure, art. 1344 C. civ.) that starts a
 * consumer's legal interest (art. 1344-1): the first one carrying the invoice that is either
 * registered (a registered letter or electronic registered letter is a sufficient demand: Civ. 3e,
 * 31 March 1971) or the scenario's `formal_notice` step on whatever channel, and that went out:
 * sent, delivered, refused or not claimed (a refused or unclaimed registered letter still gave
 * notice; an undelivered or bounced one did not). Its day is when it went, on the tenant's clock.
 * One definition for the penalties API, letters and the dossier, so they never disagree.
 */
export const FORMAL_NOTICE_CHANNELS: readonly string[] = ['registered_letter', 'registered_email']
export const FORMAL_NOTICE_STEP = 'formal_notice'
export const GAVE_NOTICE_STATUSES: readonly string[] = ['sent', 'delivered', 'refused', 'not_claimed']

export function isFormalNotice(d: { channel: string; step_key: string; status: string }): boolean {
  return (FORMAL_NOTICE_CHANNELS.includes(d.channel) || d.step_key === FORMAL_NOTICE_STEP) && GAVE_NOTICE_STATUSES.includes(d.status)
}

/**
 * The formal notice day of invoice (`tenantId`, `debtorId`, `invoiceId`) on or before `asOf`
 * (null: none yet), as a SQL expression over those columns: the first timeline entry past
 * 'sending' (the tenant's time), else sent_at, as a UTC day, as evidence.repository's whenSent()
 * dates it. It starts from the debtor's dispatches (dispatches_tenant_debtor_idx: a handful) and
 * checks the invoice by primary key, never scanning the tenant's dispatch items.
 */
export function formalNoticeDateSql(tenantId: SQL, debtorId: SQL, invoiceId: SQL, asOf: SQL): SQL {
  // Aliases of their own (fn_…), so the columns passed in from the outer query are never shadowed.
  return sql`(select min(fn_n.day)::text from (
      select (coalesce(
               (select min(fn_e.occurred_at) from dispatch_events fn_e where fn_e.tenant_id = fn_d.tenant_id and fn_e.dispatch_id = fn_d.dispatch_id
                  and fn_e.status is not null and fn_e.status not in ('queued', 'sending')),
               fn_d.sent_at, fn_d.scheduled_at) at time zone 'UTC')::date as day
      from dispatches fn_d
      where fn_d.tenant_id = ${tenantId} and fn_d.debtor_id = ${debtorId}
        and (fn_d.channel = any(${sql.param([...FORMAL_NOTICE_CHANNELS])}::text[]) or fn_d.step_key = ${FORMAL_NOTICE_STEP})
        and fn_d.status = any(${sql.param([...GAVE_NOTICE_STATUSES])}::text[])
        and exists (select 1 from dispatch_items fn_i where fn_i.tenant_id = fn_d.tenant_id and fn_i.dispatch_id = fn_d.dispatch_id and fn_i.invoice_id = ${invoiceId})
    ) fn_n where fn_n.day <= ${asOf}::date)`
}
