import type { Channel } from '../../src/modules/engine/scenario-definition.js'
import { newId } from '../../src/shared/ids.js'
import { bearer, systemQuery, type TestApp } from '../helper.js'

export const ADDRESS = { lines: ['12 rue des Lilas'], postcode: '75011', city: 'Paris', country: 'FR' }

/** POST helper that throws with the body on any error, so a failing setup says why. */
export function poster(ctx: TestApp, key: string) {
  return async (url: string, payload: Record<string, unknown>) => {
    const res = await ctx.inject({ method: 'POST', url, headers: bearer(key), payload })
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`)
    return res.json()
  }
}

/** A business debtor with one open invoice of 1 200 €: what a dispatch carries. */
export async function debtorWithInvoice(ctx: TestApp, key: string, contact: { email?: string; addressLine?: string; name?: string }) {
  const post = poster(ctx, key)
  const debtor = await post('/v1/debtors', {
    kind: 'business', name: contact.name ?? 'Dupont SARL', country: 'FR', language: 'fr',
    contacts: [{ name: 'Marie Dupont', email: contact.email ?? 'marie@dupont.test', phone: '+33612345678' }],
    address: { ...ADDRESS, lines: [contact.addressLine ?? ADDRESS.lines[0]] },
  })
  const invoice = await post('/v1/invoices', { debtor_id: debtor.id, number: `F-${newId('invoice').slice(-8)}`, currency: 'EUR', amount_total: 120_000, issue_date: '2026-01-01', due_date: '2026-01-31' })
  return { debtorId: debtor.id as string, invoiceId: invoice.id as string }
}

/**
 * Queues a dispatch the way the engine does (row, item, the invoice's current step pointing at
 * it) without playing a scenario: the dispatch loop cannot tell the difference.
 */
export async function queueDispatch(
  ctx: TestApp,
  tenantId: string,
  d: { debtorId: string; invoiceId: string; channel: Channel; stepKey?: string; template?: string; scheduledAt?: Date },
): Promise<string> {
  const dispatchId = newId('dispatch')
  const at = (d.scheduledAt ?? new Date(Date.now() - 60_000)).toISOString()
  const step = d.stepKey ?? 'formal_notice'
  await systemQuery(
    ctx.database,
    `with s as (insert into dispatches (tenant_id, dispatch_id, debtor_id, step_key, channel, template, language, scenario_id, scenario_version, scheduled_at, details)
       values ($1, $2, $3, $4, $5, $6, 'fr', 'scn_test', 1, $7, jsonb_build_object('invoice_ids', jsonb_build_array($8::text))) returning 1),
     i as (insert into dispatch_items (tenant_id, dispatch_id, invoice_id, case_id, step_key) values ($1, $2, $8, $8 || ':' || $2, $4) returning 1)
     update invoices set dunning_step_at = $7, dunning_step = 0 where tenant_id = $1 and invoice_id = $8`,
    [tenantId, dispatchId, d.debtorId, step, d.channel, d.template ?? step, at, d.invoiceId],
  )
  return dispatchId
}
