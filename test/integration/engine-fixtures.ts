import { buildTestApp, createTenant, systemQuery } from '../helper.js'
import { poster } from '../factories.js'

export interface Sent {
  step_key: string
  channel: string
  scheduled_at: Date
  invoice_ids: string[]
}

export async function sandbox(t: Parameters<typeof buildTestApp>[0], start = '2026-02-20T09:30:00Z') {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx, { name: 'Sandbox SAS', mode: 'sandbox' })
  const post = poster(ctx, key)
  const clock = await post('/v1/test-clocks', { frozen_time: start })
  const debtor = await post('/v1/debtors', { kind: 'business', name: 'Dupont SARL', country: 'FR', timezone: 'Europe/Paris', language: 'fr' })
  let now = new Date(start)
  const advanceDays = async (days: number) => {
    for (let d = 0; d < days; d++) {
      now = new Date(now.getTime() + 86_400_000)
      await post(`/v1/test-clocks/${clock.id}/advance`, { frozen_time: now.toISOString() })
    }
  }
  const sent = (): Promise<Sent[]> =>
    systemQuery<Sent>(
      ctx.database,
      `select d.step_key, d.channel, d.scheduled_at, array_agg(i.invoice_id order by i.invoice_id) as invoice_ids
       from dispatches d join dispatch_items i on i.tenant_id = d.tenant_id and i.dispatch_id = d.dispatch_id
       where d.tenant_id = $1 group by d.tenant_id, d.dispatch_id order by d.scheduled_at, d.dispatch_id`,
      [tenantId],
    )
  return { ctx, tenantId, key, post, debtor, advanceDays, sent, now: () => now }
}

export const invoiceBody = (debtorId: string, number: string) => ({
  debtor_id: debtorId,
  number,
  currency: 'EUR',
  amount_total: 120_000,
  issue_date: '2026-02-01',
  due_date: '2026-03-02',
})
