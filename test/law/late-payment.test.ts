import t from 'tap'
import { divideRoundHalfUp, formatRate, parseRate } from '../../src/modules/law/decimal-rate.js'
import { france } from '../../src/modules/law/countries/fr/index.js'
import { daysLate } from '../../src/modules/law/simple-interest.js'
import { rateInForce, rateTableIssues } from '../../src/modules/law/rate-tables.js'
import { PUBLISHED_RATE_TABLES as DEFAULT_RATE_TABLES } from './rate-tables.fixture.js'

t.test('days late count from the day after the due date', async (t) => {
  t.equal(daysLate('2025-03-31', '2025-03-31'), 0, 'due today: not late')
  t.equal(daysLate('2025-03-31', '2025-04-01'), 1)
  t.equal(daysLate('2025-03-31', '2025-04-30'), 30)
  t.equal(daysLate('2025-03-31', '2025-03-01'), 0, 'not yet due')
})

t.test('rates are exact decimal strings', async (t) => {
  t.equal(parseRate('12.15'), 12_150_000n)
  t.equal(formatRate(parseRate('3.150')), '3.15')
  t.equal(formatRate(parseRate('10')), '10')
  t.throws(() => parseRate('12,15'), RangeError)
  t.equal(divideRoundHalfUp(5n, 2n), 3n, '2.5 rounds up')
  t.equal(divideRoundHalfUp(7n, 3n), 2n, '2.33 rounds down')
  t.equal(divideRoundHalfUp(-5n, 2n), -3n, 'half away from zero')
})

t.test('the rate tables are well formed and read the rate in force', async (t) => {
  t.same(rateTableIssues(DEFAULT_RATE_TABLES.ecbRefinancing), [])
  t.same(rateTableIssues(DEFAULT_RATE_TABLES.legalInterest), [])
  t.equal(rateInForce(DEFAULT_RATE_TABLES.ecbRefinancing, '2025-01-01').rate, '3.15', 'set on 2024-12-18')
  t.equal(rateInForce(DEFAULT_RATE_TABLES.ecbRefinancing, '2025-07-01').rate, '2.15', 'set on 2025-06-11')
  t.throws(() => rateInForce(DEFAULT_RATE_TABLES.ecbRefinancing, '2001-01-01'), RangeError)
  t.same(rateTableIssues([{ from: '2025-02-30', rate: '1,5' }]).length, 2)
})

t.test('business: ECB rate on 1 January + 10 points, 30 days on €1,000.00', async (t) => {
  // 100 000 × 13.15 % × 30 / 365 = 1 080.82… → 1 081 cents
  const p = france.latePenalty({ amountDue: 100_000, currency: 'EUR', dueDate: '2025-03-31', asOf: '2025-04-30', debtorKind: 'business', tables: DEFAULT_RATE_TABLES })
  t.match(p, { basis: 'ecb_plus_10', daysLate: 30, accruesFrom: '2025-04-01', amount: 1081, currency: 'EUR', rate: '13.15' })
  t.same(p.periods, [{ from: '2025-04-01', to: '2025-04-30', days: 30, rate: '13.15', amount: 1081 }])
})

t.test('business: a delay across 1 July changes rate with the half-year', async (t) => {
  // 1 000 000 × (13.15 % × 10 + 12.15 % × 10) / 365 = 2 530 000 / 365 = 6 931.51 → 6 932 cents
  const p = france.latePenalty({ amountDue: 1_000_000, currency: 'EUR', dueDate: '2025-06-20', asOf: '2025-07-10', debtorKind: 'business', tables: DEFAULT_RATE_TABLES })
  t.equal(p.amount, 6932)
  t.same(p.periods, [
    // 3 602.74 and 3 328.77: floors 3 602 + 3 328 = 6 930, the 2 cents left go to the larger remainders
    { from: '2025-06-21', to: '2025-06-30', days: 10, rate: '13.15', amount: 3603 },
    { from: '2025-07-01', to: '2025-07-10', days: 10, rate: '12.15', amount: 3329 },
  ])
  t.equal(p.rate, '12.15')
})

t.test('business: an agreed rate holds unless below 3× the legal rate', async (t) => {
  const base = { amountDue: 100_000, currency: 'EUR', dueDate: '2025-03-31', asOf: '2025-04-30', debtorKind: 'business' as const, tables: DEFAULT_RATE_TABLES }
  // floor in H1 2025: 3 × 3.71 = 11.13 %; 100 000 × 11.13 % × 30 / 365 = 914.79 → 915
  t.match(france.latePenalty({ ...base, contractRate: '5' }), { basis: 'contract_rate', rate: '11.13', amount: 915 })
  // 100 000 × 15 % × 30 / 365 = 1 232.88 → 1 233
  t.match(france.latePenalty({ ...base, contractRate: '15' }), { rate: '15', amount: 1233 })
})

t.test('consumer: legal interest only from the formal notice', async (t) => {
  const base = { amountDue: 50_000, currency: 'EUR', dueDate: '2025-06-15', asOf: '2025-08-14', debtorKind: 'consumer' as const, tables: DEFAULT_RATE_TABLES }
  t.match(france.latePenalty(base), { basis: 'legal_interest', daysLate: 60, accruesFrom: null, amount: 0, rate: null }, 'no notice yet')
  // 50 000 × 2.76 % × 30 / 365 = 113.42 → 113 cents
  const p = france.latePenalty({ ...base, formalNoticeDate: '2025-07-15' })
  t.match(p, { accruesFrom: '2025-07-16', amount: 113, rate: '2.76' })
})

t.test('public body: ECB + 8 points fixed on the half-year interest started', async (t) => {
  // H1 2025: 3.15 + 8 = 11.15 % for both periods. 1 000 000 × 11.15 % × 20 / 365 = 6 109.59 → 6 110
  const p = france.latePenalty({ amountDue: 1_000_000, currency: 'EUR', dueDate: '2025-06-20', asOf: '2025-07-10', debtorKind: 'public_body', tables: DEFAULT_RATE_TABLES })
  t.match(p, { basis: 'ecb_plus_8', amount: 6110, rate: '11.15' })
})

t.test('nothing accrues before the due date or on a paid invoice', async (t) => {
  t.equal(france.latePenalty({ amountDue: 100_000, currency: 'EUR', dueDate: '2025-03-31', asOf: '2025-03-31', debtorKind: 'business', tables: DEFAULT_RATE_TABLES }).amount, 0)
  t.equal(france.latePenalty({ amountDue: 0, currency: 'EUR', dueDate: '2025-03-31', asOf: '2025-05-31', debtorKind: 'business', tables: DEFAULT_RATE_TABLES }).amount, 0)
})

t.test('custom rate tables are used as given', async (t) => {
  const tables = { ecbRefinancing: [{ from: '2020-01-01', rate: '1.5' }], legalInterest: [{ from: '2020-01-01', rate: '1' }] }
  // 36 500 × 11.5 % × 10 / 365 = 115 exactly
  const p = france.latePenalty({ amountDue: 36_500, currency: 'GBP', dueDate: '2026-01-10', asOf: '2026-01-20', debtorKind: 'business', tables })
  t.match(p, { amount: 115, currency: 'GBP', rate: '11.5' })
})

t.test('€40 recovery indemnity: per late invoice, professionals only', async (t) => {
  t.same(france.recoveryIndemnity({ debtorKind: 'business', daysLate: 1 }), { applicable: true, amount: 4000, currency: 'EUR' })
  t.same(france.recoveryIndemnity({ debtorKind: 'public_body', daysLate: 5 }), { applicable: true, amount: 4000, currency: 'EUR' })
  t.same(france.recoveryIndemnity({ debtorKind: 'consumer', daysLate: 90 }), { applicable: false, amount: 0, currency: 'EUR' })
  t.equal(france.recoveryIndemnity({ debtorKind: 'business', daysLate: 0 }).applicable, false, 'not late')
  t.equal(france.recoveryIndemnity({ debtorKind: 'business', daysLate: 9, collectiveProceedings: true }).amount, 0, 'insolvency stops it')
})
