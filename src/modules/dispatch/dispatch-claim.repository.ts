import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import type { DebtorContact, PostalAddress } from '../debtors/debtors.tables.js'
import type { Channel } from '../engine/scenario-definition.js'
import { FORMAL_NOTICE_CHANNELS, FORMAL_NOTICE_STEP, formalNoticeDateSql } from '../law/formal-notice.js'
import { clockScopeFilter, type ClockScope } from '../test-clocks/clock-scope.js'

/** A dispatch the loop is about to send, with its debtor and what is still owed on its invoices. */
export type ClaimedDispatch = {
  tenant_id: string
  dispatch_id: string
  debtor_id: string
  step_key: string
  channel: Channel
  template: string
  language: string
  scheduled_at: string
  attempts: number
  /** It was 'sending' when claimed: a worker died mid-send, so the provider is asked first. */
  resumed: boolean
  /** Set while still 'sending' when the provider accepted it (acceptance-journal.ts), with its driver. */
  provider_ref: string | null
  driver: string | null
  tenant_mode: 'sandbox' | 'live'
  tenant_name: string
  /** The tenant's country: the law its letters compute penalties under. */
  tenant_country: string
  /** The tenant opted in to open and click tracking. */
  tracking: boolean
  debtor: { name: string; kind: 'business' | 'consumer' | 'public_body'; contacts: DebtorContact[]; address: PostalAddress | null; external_ref: string | null; lre_consent: boolean }
  invoices: ClaimedInvoice[]
}

export type ClaimedInvoice = {
  invoice_id: string
  number: string
  issue_date: string
  due_date: string
  currency: string
  amount_total: number
  amount_due: number
  status: string
  payment_link: string | null
  held: boolean
  /** The invoice's formal notice already sent (law/formal-notice.ts), for a consumer's interest; null before it. */
  formal_notice_date: string | null
}

/**
 * Claims dispatches whose time has come, and 'sending' ones abandoned longer than `leaseSeconds`
 * (their worker died between the provider call and the commit). Marks them 'sending' in the
 * claiming transaction, which commits before any provider is called, so a second worker skips them.
 */
export async function claimDispatches(tx: Tx, now: Date, limit: number, scope: ClockScope, leaseSeconds: number, exclude: string[] = []): Promise<ClaimedDispatch[]> {
  const result = await tx.execute<ClaimedDispatch>(sql`
    with picked as (
      select s.tenant_id, s.dispatch_id, s.status = 'sending' as resumed from dispatches s
      where ((s.status = 'queued' and s.scheduled_at <= ${now.toISOString()}::timestamptz)
          or (s.status = 'sending' and s.sending_since < now() - make_interval(secs => ${leaseSeconds})))
        and ${clockScopeFilter(scope, sql`s.tenant_id`)}
        ${exclude.length ? sql`and s.dispatch_id <> all(${sql.param(exclude)}::text[])` : sql``}
      order by s.scheduled_at
      limit ${limit}
      for update of s skip locked
    ), marked as (
      update dispatches s set status = 'sending', sending_since = now(), attempts = s.attempts + 1, updated_at = now()
      from picked p where s.tenant_id = p.tenant_id and s.dispatch_id = p.dispatch_id
      returning s.*, p.resumed
    )
    select m.tenant_id, m.dispatch_id, m.debtor_id, m.step_key, m.channel, m.template, m.language, m.scheduled_at,
           m.attempts, m.resumed, m.provider_ref, m.driver, t.mode as tenant_mode, t.name as tenant_name, t.country as tenant_country, t.tracking_enabled as tracking,
           json_build_object('name', d.name, 'kind', d.kind, 'contacts', d.contacts, 'address', d.address,
             'external_ref', d.external_ref, 'lre_consent', d.kind <> 'consumer' or d.lre_consent_on is not null) as debtor,
           coalesce((select json_agg(json_build_object('invoice_id', i.invoice_id, 'number', i.number, 'issue_date', i.issue_date,
               'due_date', i.due_date, 'currency', i.currency, 'amount_total', i.amount_total,
               'amount_due', greatest(i.amount_total - i.amount_paid - i.amount_credited, 0), 'status', i.status,
               'payment_link', i.payment_link,
               -- Only letters that state penalties (formal channels, the formal_notice step) read it.
               'formal_notice_date', case when m.channel = any(${sql.param([...FORMAL_NOTICE_CHANNELS])}::text[]) or m.step_key = ${FORMAL_NOTICE_STEP}
                 then ${formalNoticeDateSql(sql`i.tenant_id`, sql`i.debtor_id`, sql`i.invoice_id`, sql`${now.toISOString().slice(0, 10)}`)} end,
               'held', exists (select 1 from holds h where h.tenant_id = i.tenant_id and h.debtor_id = i.debtor_id
                               and h.status = 'active' and (h.invoice_id is null or h.invoice_id = i.invoice_id)))
               order by i.due_date, i.invoice_id)
             from dispatch_items x join invoices i on i.tenant_id = x.tenant_id and i.invoice_id = x.invoice_id
             where x.tenant_id = m.tenant_id and x.dispatch_id = m.dispatch_id), '[]') as invoices
    from marked m
    join tenants t on t.tenant_id = m.tenant_id
    join debtors d on d.tenant_id = m.tenant_id and d.debtor_id = m.debtor_id`)
  return result.rows.map((r) => ({ ...r, attempts: Number(r.attempts) }))
}
