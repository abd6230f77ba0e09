import t from 'tap'
import { generateSampleLedger } from '../../scripts/sample-ledger.js'
import { createDebtorBody } from '../../src/modules/debtors/debtors.schema.js'
import { createInvoiceBody } from '../../src/modules/invoices/invoices.schema.js'
import { createPaymentBody } from '../../src/modules/payments/payments.schema.js'
import { isValidSiren, isValidSiret } from '../../src/shared/registration-ids.js'

const ledger = generateSampleLedger({ asOf: '2026-03-02' })

t.test('the sample ledger is the same for the same seed, and another seed changes it', async (t) => {
  t.same(generateSampleLedger({ asOf: '2026-03-02' }), ledger)
  t.not(JSON.stringify(generateSampleLedger({ asOf: '2026-03-02', seed: 7 })), JSON.stringify(ledger))
})

t.test('every line passes the API validation: valid SIREN/SIRET/VAT, NF Z10-011 addresses, E.164 phones', async (t) => {
  const rejected = (schema: { safeParse(v: unknown): { success: boolean } }, lines: unknown[]) => lines.filter((l) => !schema.safeParse(l).success)
  t.same(rejected(createDebtorBody, ledger.debtors), [], 'debtors')
  t.same(rejected(createInvoiceBody, ledger.invoices), [], 'invoices')
  const asPayment = ({ invoice_external_ref: _i, ...p }: (typeof ledger.payments)[number]) => p
  t.same(rejected(createPaymentBody, [...ledger.payments, ...ledger.scheduled.map(({ day: _d, ...p }) => p)].map(asPayment)), [], 'payments')
  const french = ledger.debtors.filter((d) => d.siren)
  t.ok(french.length >= 20 && french.every((d) => isValidSiren(d.siren!) && isValidSiret(d.siret!) && d.siret!.startsWith(d.siren!)))
  t.ok(ledger.debtors.some((d) => d.vat_number?.startsWith('DE')) && ledger.debtors.some((d) => d.kind === 'public_body'))
})

t.test('a realistic mix: segments, consumers with and without LRE consent, some paid, some partly, a story', async (t) => {
  t.same(new Set(ledger.debtors.map((d) => d.segment).filter(Boolean)), new Set(['tpe', 'pme', 'eti', 'grand_compte']))
  const consumers = ledger.debtors.filter((d) => d.kind === 'consumer')
  t.ok(consumers.some((d) => d.lre_consent) && consumers.some((d) => !d.lre_consent))
  t.ok(ledger.invoices.length >= 250 && ledger.invoices.length <= 350, `${ledger.invoices.length} invoices`)
  const total = new Map(ledger.invoices.map((i) => [i.external_ref, i.amount_total]))
  t.ok(ledger.payments.some((p) => p.amount < total.get(p.invoice_external_ref)!), 'partial payments')
  t.ok(ledger.payments.every((p) => p.received_on < ledger.asOf) && ledger.scheduled.every((p) => p.received_on > ledger.asOf))
  const plan = ledger.plan.instalments.reduce((sum, i) => sum + i.amount, 0)
  t.equal(plan, ledger.plan.invoice_external_refs.reduce((sum, ref) => sum + total.get(ref)!, 0), 'the plan covers its invoices exactly')
  t.ok(ledger.promise.promised_date > ledger.asOf && total.has(ledger.dispute.invoice_external_ref))
})
