import t from 'tap'
import { france } from '../../src/modules/law/countries/fr/index.js'
import { lawFor, noLawWarning, requireLaw, SUPPORTED_LAW_COUNTRIES } from '../../src/modules/law/countries/registry.js'
import { AppError } from '../../src/shared/errors.js'
import { PUBLISHED_RATE_TABLES as tables } from './rate-tables.fixture.js'

t.test('the registry dispatches by the tenant country and names what it lacks', async (t) => {
  t.equal(lawFor('FR'), france, 'FR is the French module')
  t.same(SUPPORTED_LAW_COUNTRIES, ['FR'])
  for (const country of ['DE', 'BE', 'fr', '']) t.equal(lawFor(country), null, `${JSON.stringify(country)}: no module, no fallback`)
  t.equal(requireLaw('FR'), france)
  const error = t.throws(() => requireLaw('DE')) as unknown as AppError
  t.ok(error instanceof AppError)
  t.match(error, { code: 'unprocessable', status: 422, errors: [{ path: 'tenant.country', message: 'No law module for DE; supported: FR' }] })
  t.match(noLawWarning('DE'), { code: 'no_law_module', message: /^No law module for DE; supported: FR: payment-term limits, penalties and prescription/ })
})

t.test('the French module reads its own series of the shared table', async (t) => {
  const rows = [
    { series: 'ecb_main_refinancing', validFrom: '2025-06-11', rate: '2.15' },
    { series: 'ecb_main_refinancing', validFrom: '2024-12-18', rate: '3.15' },
    { series: 'fr_legal_interest_professional_creditor', validFrom: '2025-07-01', rate: '2.76' },
    { series: 'fr_legal_interest_individual_creditor', validFrom: '2025-07-01', rate: '6.65' },
  ]
  t.same(france.rateTables(rows), {
    ecbRefinancing: [{ from: '2024-12-18', rate: '3.15' }, { from: '2025-06-11', rate: '2.15' }],
    legalInterest: [{ from: '2025-07-01', rate: '2.76' }],
  }, 'oldest first; a business creditor reads the "autres cas" legal rate, never the private-individual one')
})

t.test('hand-worked: a business, 36 days across 1 January, re-reading the ECB rate', async (t) => {
  // ECB on 1 July 2023: 4.00 (since 21 June 2023) → 14 %; on 1 January 2024: 4.50 (since 20 September 2023) → 14.5 %.
  // 250 000 × 14 % × 16 / 365 = 1 534.2466; 250 000 × 14.5 % × 20 / 365 = 1 986.3014; Σ 3 520.548 → 3 521.
  // Floors 1 534 + 1 986 = 3 520; the cent left goes to the larger remainder (.3014).
  const p = france.latePenalty({ amountDue: 250_000, currency: 'EUR', dueDate: '2023-12-15', asOf: '2024-01-20', debtorKind: 'business', tables })
  t.match(p, { basis: 'ecb_plus_10', daysLate: 36, accruesFrom: '2023-12-16', amount: 3521, rate: '14.5', warnings: [] })
  t.same(p.periods, [
    { from: '2023-12-16', to: '2023-12-31', days: 16, rate: '14', amount: 1534 },
    { from: '2024-01-01', to: '2024-01-20', days: 20, rate: '14.5', amount: 1987 },
  ])
})

t.test('hand-worked: an agreed rate below the floor is raised to 3× the legal rate of each half-year', async (t) => {
  // 10 % agreed. Floor H2 2023: 3 × 4.22 = 12.66 %; H1 2024: 3 × 5.07 = 15.21 %.
  // 100 000 × 12.66 % × 10 / 365 = 346.8493; 100 000 × 15.21 % × 10 / 365 = 416.7123; Σ 763.5616 → 764 = 347 + 417.
  const p = france.latePenalty({ amountDue: 100_000, currency: 'EUR', dueDate: '2023-12-21', asOf: '2024-01-10', debtorKind: 'business', contractRate: '10', tables })
  t.match(p, { basis: 'contract_rate', amount: 764, rate: '15.21' })
  t.same(p.periods.map((x) => [x.rate, x.days, x.amount]), [['12.66', 10, 347], ['15.21', 10, 417]])
})

t.test('hand-worked: a consumer owes legal interest from the formal notice only, across 1 July', async (t) => {
  const base = { amountDue: 50_000, currency: 'EUR', dueDate: '2025-05-31', asOf: '2025-07-10', tables }
  t.match(france.consumerLegalInterest(base), { basis: 'legal_interest', daysLate: 40, accruesFrom: null, amount: 0 }, 'no notice: nothing, 40 days late or not')
  // Notice on 20 June: 50 000 × 3.71 % × 10 / 365 = 50.8219; 50 000 × 2.76 % × 10 / 365 = 37.8082; Σ 88.6301 → 89 = 51 + 38.
  const p = france.consumerLegalInterest({ ...base, formalNoticeDate: '2025-06-20' })
  t.match(p, { accruesFrom: '2025-06-21', amount: 89, rate: '2.76', warnings: [] })
  t.same(p.periods.map((x) => [x.from, x.to, x.rate, x.amount]), [['2025-06-21', '2025-06-30', '3.71', 51], ['2025-07-01', '2025-07-10', '2.76', 38]])
  t.same(france.latePenalty({ ...base, debtorKind: 'consumer', formalNoticeDate: '2025-06-20', contractRate: '20' }), p, 'a consumer is never charged a business rate')
})

t.test('a half-year whose legal rate is not in the table yet is computed with the last one, and says so', async (t) => {
  const p = france.consumerLegalInterest({ amountDue: 50_000, currency: 'EUR', dueDate: '2025-11-30', asOf: '2026-01-10', formalNoticeDate: '2025-12-20', tables })
  t.same(p.periods.map((x) => x.rate), ['2.76', '2.76'])
  t.equal(p.warnings.length, 1)
  t.match(p.warnings[0], 'No legal interest rate in the table for the half-year starting 2026-01-01: the rate in force from 2025-07-01 (2.76 %) was used')
  t.same(france.latePenalty({ amountDue: 50_000, currency: 'EUR', dueDate: '2025-11-30', asOf: '2026-01-10', debtorKind: 'business', tables }).warnings, [], 'the ECB rate has no half-year of its own to miss')
})

t.test('the €40 indemnity is never applied to a consumer', async (t) => {
  for (const daysLate of [0, 1, 30, 400]) {
    for (const collectiveProceedings of [false, true]) {
      t.same(france.recoveryIndemnity({ debtorKind: 'consumer', daysLate, collectiveProceedings }), { applicable: false, amount: 0, currency: 'EUR' }, `consumer, ${daysLate} days`)
    }
  }
  t.same(france.fixedIndemnity, { amount: 4000, currency: 'EUR' })
})

t.test('prescription: 5 years between professionals, 2 against a consumer, the last day of a short month', async (t) => {
  t.equal(france.prescriptionDate('2026-03-10', 'business'), '2031-03-10')
  t.equal(france.prescriptionDate('2026-03-10', 'public_body'), '2031-03-10')
  t.equal(france.prescriptionDate('2026-03-10', 'consumer'), '2028-03-10')
  t.equal(france.prescriptionDate('2024-02-29', 'consumer'), '2026-02-28', 'no 29 February: the last day of the month')
  t.equal(france.prescriptionDate('2024-02-29', 'business'), '2029-02-28')
  t.equal(france.prescriptionDate('2023-02-28', 'business'), '2028-02-28')
})

t.test('payment terms: 60 days or 45 days end of month between businesses, as warnings', async (t) => {
  t.same(france.paymentTermsWarnings('business', '2026-01-10', '2026-03-11'), [], '60 days')
  t.same(france.paymentTermsWarnings('business', '2026-01-10', '2026-03-17'), [], '45 days end of month (31 January + 45)')
  t.match(france.paymentTermsWarnings('business', '2026-01-10', '2026-03-18'), [{ code: 'payment_terms_exceed_limit', message: /art\. L441-10/ }])
  t.same(france.paymentTermsWarnings('consumer', '2026-01-10', '2026-12-31'), [], 'no B2B limit for a consumer')
  t.match(france.paymentTermsWarnings('public_body', '2026-01-10', '2026-02-10'), [{ message: /30 days/ }])
})

t.test('wording of each basis, for letters and the dossier', async (t) => {
  t.match(france.basisWording('ecb_plus_10', 'fr', 'letter'), 'majoré de 10 points (art. L441-10 du Code de commerce)')
  t.match(france.basisWording('legal_interest', 'en', 'letter'), 'French legal interest rate, from the formal notice')
  t.equal(france.basisWording('ecb_plus_10', 'fr', 'short'), 'taux BCE + 10 points (art. L441-10 II C. com.)')
  t.equal(france.basisWording('none', 'de', 'letter'), '', 'another language reads English; no basis, no words')
})
