import { sql } from 'drizzle-orm'
import { unzipSync } from 'fflate'
import { PDFParse } from 'pdf-parse'
import t from 'tap'
import { withSystem } from '../../src/db/client.js'
import { alertPrescriptions } from '../../src/modules/invoices/prescription-alerts.js'
import { france } from '../../src/modules/law/countries/fr/index.js'
import { sha256Hex } from '../../src/shared/crypto.js'
import { eventsOf, insertDebtor, postInvoice } from '../factories.js'
import { bearer, buildTestApp, createTenant, type TestApp } from '../helper.js'

interface Manifest {
  law: { country: string; module: string | null; note?: string }
  files: { path: string; sha256: string; size: number }[]
  claims: {
    number: string
    formal_notice_date: string | null
    penalty: { basis: string; amount: number; periods: { from: string; to: string; days: number; rate: string; amount: number }[]; warnings: string[] }
    indemnity: { applicable: boolean; amount: number }
    prescription_date: string | null
  }[]
}

async function dossierOf(ctx: TestApp, key: string, url: string) {
  const res = await ctx.inject({ method: 'GET', url, headers: bearer(key) })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  const zip = unzipSync(new Uint8Array(res.rawPayload))
  const manifest = JSON.parse(Buffer.from(zip['manifest.json']!).toString('utf8')) as Manifest
  const parser = new PDFParse({ data: new Uint8Array(zip['chronologie.pdf']!) })
  try {
    const timeline = (await parser.getText()).text.replace(/[\s\u00a0\u202f]+/g, ' ')
    return { zip, manifest, timeline }
  } finally {
    await parser.destroy()
  }
}

t.test("a consumer's legal interest runs from the formal notice actually sent, the same in the API and the dossier", async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx, { name: 'Atelier Dupont SAS', mode: 'sandbox' })
  const post = async (url: string, payload: Record<string, unknown>, auth = key) => {
    const res = await ctx.inject({ method: 'POST', url, headers: bearer(auth), payload })
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`)
    return res.json()
  }
  // A later registered letter states the interest run since the notice (the built-in consumer wording states no amount).
  const statement = await ctx.inject({
    method: 'POST', url: '/v1/templates', headers: bearer(key),
    payload: { key: 'interest_statement', channel: 'registered_letter', language: 'fr', fields: { subject: 'Relevé', body: 'Intérêts au {{ today }} : {{ penalties.total }} ({{ penalties.legal_basis }}, {{ penalties.rate }}).' } },
  })
  t.equal(statement.statusCode, 200, statement.body)
  await post('/v1/scenarios', {
    name: 'Notice', language: 'fr', is_default: true,
    definition: {
      steps: [
        { key: 'formal_notice', offset_days: 1, channels: [{ channel: 'registered_letter', template: 'formal_notice' }] },
        { key: 'interest_statement', offset_days: 20, channels: [{ channel: 'registered_letter', template: 'interest_statement' }] },
      ],
      send_policy: { min_gap_days: 0, max_contacts: 10 },
    },
  })
  const debtor = await post('/v1/debtors', {
    kind: 'consumer', name: 'Jean Petit', country: 'FR', language: 'fr', timezone: 'Europe/Paris',
    address: { lines: ['3 rue des Écoles'], postcode: '69001', city: 'Lyon', country: 'FR' },
  })
  const clock = await post('/v1/test-clocks', { frozen_time: '2026-03-02T09:30:00Z' })
  const invoice = await post('/v1/invoices', { debtor_id: debtor.id, number: 'C-1', currency: 'EUR', amount_total: 50_000, issue_date: '2026-02-01', due_date: '2026-03-02' })
  const penalty = async () => (await ctx.inject({ method: 'GET', url: `/v1/law/penalties?invoice_id=${invoice.id}&as_of=2026-03-31`, headers: bearer(key) })).json()

  t.match(await penalty(), { country: 'FR', basis: 'legal_interest', days_late: 29, formal_notice_date: null, accrues_from: null, amount: 0 }, 'late, but no notice yet: nothing')
  for (let day = 3; day <= 5; day++) await post(`/v1/test-clocks/${clock.id}/advance`, { frozen_time: `2026-03-0${day}T09:30:00Z` })
  const notices = (await ctx.inject({ method: 'GET', url: `/v1/dispatches?debtor_id=${debtor.id}`, headers: bearer(key) })).json().data
  t.match(notices, [{ step_key: 'formal_notice', channel: 'registered_letter', status: /sent|delivered/ }], 'the formal notice went out')
  const noticeDay: string = (await penalty()).formal_notice_date
  t.equal(noticeDay, '2026-03-03', 'dated by the tenant clock, the day after the due date (offset 1)')

  // The legal rate of H1 2026 is not seeded (law-fr.md lists no rate values; see docs/law.md): the last one is used, and said so.
  // 50 000 × 2.76 % × 28 / 365 = 105.86 → 106 cents, 4 March to 31 March.
  const stale = await penalty()
  t.match(stale, { basis: 'legal_interest', accrues_from: '2026-03-04', amount: 106, rate: '2.76', indemnity: { applicable: false, amount: 0 } })
  t.match(stale.warnings, [/half-year starting 2026-01-01/])
  const added = await post('/v1/law/rates', { series: 'fr_legal_interest_professional_creditor', valid_from: '2026-01-01', rate: '3.5', source: 'test value' }, ctx.platformKey)
  t.equal(added.rate, '3.5')
  // 50 000 × 3.5 % × 28 / 365 = 134.25 → 134 cents.
  const computed = await penalty()
  t.match(computed, { amount: 134, rate: '3.5', warnings: [] })
  t.same(computed.periods, [{ from: '2026-03-04', to: '2026-03-31', days: 28, rate: '3.5', amount: 134 }])

  await post(`/v1/test-clocks/${clock.id}/advance`, { frozen_time: '2026-03-31T09:30:00Z' })
  const later = (await ctx.inject({ method: 'GET', url: `/v1/dispatches?debtor_id=${debtor.id}&step_key=interest_statement`, headers: bearer(key) })).json().data
  t.equal(later.length, 1, 'the second letter went out on 31 March')
  t.match(later[0].content.text.replace(/\u00a0|\u202f/g, ' '), "Intérêts au 31 mars 2026 : 1,34 € (taux de l'intérêt légal, à compter de la mise en demeure (art. 1344-1 du Code civil), 3,5 %).",
    "the letter states exactly the API's amount, from the invoice's own formal notice")
  const { zip, manifest, timeline } = await dossierOf(ctx, key, `/v1/invoices/${invoice.id}/dossier`)
  for (const file of manifest.files) t.equal(sha256Hex(Buffer.from(zip[file.path]!)), file.sha256, `${file.path}: its manifest hash`)
  t.match(manifest.law, { country: 'FR', module: 'FR' })
  t.match(manifest.claims, [{ number: 'C-1', formal_notice_date: '2026-03-03', penalty: { basis: 'legal_interest', amount: 134, periods: computed.periods }, indemnity: { applicable: false, amount: 0 }, prescription_date: '2028-03-02' }])
  t.match(timeline, 'Droit applicable aux montants : France')
  t.match(timeline, 'Mise en demeure envoyée le 3 mars 2026.')
  t.match(timeline, 'du 4 mars 2026 au 31 mars 2026 : 28 jours à 3,5 % = 1,34 €')
  t.match(timeline, 'Indemnité forfaitaire pour frais de recouvrement : non applicable.')
  t.match(timeline, "Prescription de l'action : 2 mars 2028.", 'two years against a consumer')
})

t.test('a tenant country without a law module: invoices, penalties, GraphQL, the dossier and prescription alerts compute nothing', async (t) => {
  const ctx = await buildTestApp(t)
  const badCountry = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: bearer(ctx.platformKey), payload: { name: 'X', country: 'XX' } })
  t.equal(badCountry.statusCode, 400)
  t.match(badCountry.json().errors, [{ path: 'body.country' }])
  const { tenantId, key } = await createTenant(ctx, { name: 'Müller GmbH', mode: 'sandbox', country: 'DE' })
  const tenant = await ctx.inject({ method: 'GET', url: `/v1/tenants/${tenantId}`, headers: bearer(key) })
  t.match(tenant.json(), { id: tenantId, country: 'DE' })
  const fr = await createTenant(ctx, { name: 'Acme SAS', mode: 'sandbox' })
  t.match((await ctx.inject({ method: 'GET', url: `/v1/tenants/${fr.tenantId}`, headers: bearer(fr.key) })).json(), { country: 'FR' }, 'FR by default')

  const debtor = await insertDebtor(ctx, tenantId, { kind: 'business', name: 'Schmidt KG' })
  const old = { amount_total: 100_000, issue_date: '2021-05-01', due_date: '2021-06-01' }
  const invoice = await postInvoice(ctx, key, { debtor_id: debtor, number: 'R-1', ...old })
  t.match(invoice, { warnings: [{ code: 'no_law_module', message: /^No law module for DE; supported: FR/ }], prescription_date: null })

  const penalty = await ctx.inject({ method: 'GET', url: `/v1/law/penalties?invoice_id=${invoice.id}&as_of=2021-07-01`, headers: bearer(key) })
  t.equal(penalty.statusCode, 422)
  t.match(penalty.json(), { code: 'unprocessable', errors: [{ path: 'tenant.country', message: 'No law module for DE; supported: FR' }] })
  const graphql = (query: string) => ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(key), payload: { query } }).then((r) => r.json())
  t.match(await graphql(`{ latePenalty(invoiceId: "${invoice.id}") { amount } }`), { data: null, errors: [{ path: ['latePenalty'], extensions: { code: 'unprocessable' } }] })
  t.match(await graphql(`{ invoice(id: "${invoice.id}") { prescriptionDate warnings { code } } tenant { country } }`), {
    data: { invoice: { prescriptionDate: null, warnings: [{ code: 'no_law_module' }] }, tenant: { country: 'DE' } },
  })

  const { zip, manifest, timeline } = await dossierOf(ctx, key, `/v1/debtors/${debtor}/dossier`)
  for (const file of manifest.files) t.equal(sha256Hex(Buffer.from(zip[file.path]!)), file.sha256, `${file.path}: its manifest hash`)
  const readme = Buffer.from(zip['README.txt']!).toString('utf8')
  t.match(readme, 'pas de module de droit pour le pays DE')
  t.notMatch(readme, '40 €', 'no French indemnity announced')
  t.match(manifest.law, { country: 'DE', module: null, note: /no penalty, indemnity or prescription date is computed/ })
  t.match(manifest.claims, [{ number: 'R-1', penalty: { basis: 'none', amount: 0, periods: [] }, indemnity: { applicable: false, amount: 0 }, prescription_date: null }])
  t.match(timeline, 'sans module de calcul dans Relance')
  t.match(timeline, 'Pénalités, indemnité et prescription : non calculées')
  t.notMatch(timeline, 'L441-10', 'never French law')

  // Prescription alerts: the French module's date (due 1 June 2021 + 5 years) for a French tenant; none for DE.
  const gamma = await createTenant(ctx, { name: 'Gamma SAS', mode: 'live' })
  const frInvoice = await postInvoice(ctx, gamma.key, { debtor_id: await insertDebtor(ctx, gamma.tenantId), number: 'G-1', ...old })
  t.equal((frInvoice as unknown as { prescription_date: string }).prescription_date, '2026-06-01')
  const deLive = await createTenant(ctx, { name: 'Delta GmbH', mode: 'live', country: 'DE' })
  await postInvoice(ctx, deLive.key, { debtor_id: await insertDebtor(ctx, deLive.tenantId), number: 'D-1', ...old })
  t.equal(await alertPrescriptions(ctx.database.db, '2026-05-15', 30), 1, 'one invoice announced')
  t.ok((await eventsOf(ctx, gamma.tenantId)).some((e) => e.type === 'invoice.prescription_approaching' && e.object_id === frInvoice.id), 'the French one')
  t.notOk((await eventsOf(ctx, deLive.tenantId)).some((e) => e.type === 'invoice.prescription_approaching'), 'not the German one')

  const moved = await ctx.inject({ method: 'PATCH', url: `/v1/tenants/${tenantId}`, headers: bearer(ctx.platformKey), payload: { country: 'FR' } })
  t.match(moved.json(), { country: 'FR' })
  const now = await ctx.inject({ method: 'GET', url: `/v1/invoices/${invoice.id}`, headers: bearer(key) })
  t.match(now.json(), { warnings: [], prescription_date: '2026-06-01' }, 'the French module applies once the tenant is French')
  // H1 2021 is before the seeded tables (they start in 2016 for the ECB rate): 30 days at 0 + 10 = 10 %.
  // 100 000 × 10 % × 30 / 365 = 821.92 → 822.
  t.match((await ctx.inject({ method: 'GET', url: `/v1/law/penalties?invoice_id=${invoice.id}&as_of=2021-07-01`, headers: bearer(key) })).json(), { basis: 'ecb_plus_10', amount: 822, indemnity: { applicable: true, amount: 4000 } })
})

t.test("the French module's SQL prescription date agrees with its own function", async (t) => {
  const ctx = await buildTestApp(t)
  const cases: [string, 'business' | 'consumer' | 'public_body'][] = []
  for (const due of ['2024-02-29', '2023-02-28', '2026-12-31', '2026-03-10', '2028-02-29', '2025-01-31']) {
    for (const kind of ['business', 'consumer', 'public_body'] as const) cases.push([due, kind])
  }
  const rows = await withSystem(ctx.database.db, async (tx) => {
    const days: string[] = []
    for (const [due, kind] of cases) {
      const result = await tx.execute<{ day: string }>(sql`select ${france.prescriptionDateSql(sql`${due}::date`, sql`${kind}::text`)}::text as day`)
      days.push(result.rows[0]!.day)
    }
    return days
  })
  t.same(rows, cases.map(([due, kind]) => france.prescriptionDate(due, kind)))
  t.equal(rows[0], '2029-02-28', '29 February + 5 years in SQL too')
})
