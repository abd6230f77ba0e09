import { postInvoice } from '../factories.js'
import { bearer, createTenant, type TestApp } from '../helper.js'
import { createDebtor } from './debtors-fixtures.js'

export interface ReportTenant {
  tenantId: string
  key: string
  retail: string
  wholesale: string
  inv: Record<'i1' | 'i2' | 'i3' | 'i4' | 'i5' | 'i6' | 'i7', string>
  get(url: string): ReturnType<TestApp['inject']>
}

/**
 * A sandbox tenant whose clock reads 2026-03-31, two debtors and seven invoices chosen so every
 * aging bucket and both DSO methods have a figure one can work out by hand (see the tests).
 */
export async function reportTenant(ctx: TestApp): Promise<ReportTenant> {
  const { tenantId, key } = await createTenant(ctx)
  const clock = await ctx.inject({ method: 'POST', url: '/v1/test-clocks', headers: bearer(key), payload: { frozen_time: '2026-03-31T09:00:00Z' } })
  if (clock.statusCode !== 201) throw new Error(clock.body)
  const debtor = (name: string, segment: string) => createDebtor(ctx, key, { kind: 'business', name, country: 'FR', segment })
  const retail = (await debtor('Boulangerie Leroy SARL', 'retail')).id
  const wholesale = (await debtor('Grossiste Martin SA', 'wholesale')).id
  const invoice = async (debtor_id: string, number: string, amount_total: number, issue_date: string, due_date: string, currency = 'EUR') =>
    (await postInvoice(ctx, key, { debtor_id, number, amount_total, issue_date, due_date, currency })).id
  const inv = {
    i1: await invoice(retail, 'F-1', 100_000, '2026-03-01', '2026-04-15'),
    i2: await invoice(retail, 'F-2', 50_000, '2026-02-01', '2026-03-10'),
    i3: await invoice(wholesale, 'F-3', 80_000, '2026-01-01', '2026-01-31'),
    i4: await invoice(wholesale, 'F-4', 40_000, '2025-12-01', '2025-12-31'),
    i5: await invoice(wholesale, 'F-5', 10_000, '2025-11-01', '2025-12-01'),
    i6: await invoice(retail, 'F-6', 60_000, '2026-02-15', '2026-03-15'),
    i7: await invoice(wholesale, 'F-7', 5_000, '2026-03-15', '2026-03-20', 'GBP'),
  }
  const pay = async (debtor_id: string, invoice_id: string, amount: number, received_on: string) => {
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/payments',
      headers: bearer(key),
      payload: { debtor_id, amount, currency: 'EUR', received_on, allocations: [{ invoice_id, amount }] },
    })
    if (res.statusCode !== 201) throw new Error(res.body)
  }
  await pay(retail, inv.i2, 20_000, '2026-03-20')
  // Received after 31 March: the report as of 31 March must not see it.
  await pay(retail, inv.i6, 60_000, '2026-04-05')
  return { tenantId, key, retail, wholesale, inv, get: (url) => ctx.inject({ method: 'GET', url, headers: bearer(key) }) }
}
