import t from 'tap'
import { addDays, todayUtc } from '../../src/shared/dates.js'
import { idPattern } from '../../src/shared/ids.js'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'
import { createDebtor, insertInvoice, insertPayment, michelin, postDebtor } from './debtors-fixtures.js'

t.test('create, then read back the same debtor with its ETag and its event', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  // A debtor's scenario must be one of the tenant's own: the default ones are made on demand.
  const defaults = await ctx.inject({ method: 'POST', url: '/v1/scenarios/defaults', headers: bearer(key) })
  const scenarioId = (defaults.json() as { data: { id: string }[] }).data[0]!.id
  const res = await postDebtor(ctx, key, {
    ...michelin,
    siren: '732 829 320',
    vat_number: 'fr 44 732 829 320',
    segment: 'key-accounts',
    contacts: [{ name: 'Service comptabilité', role: 'accounts payable', email: 'compta@example.fr', phone: '+33473320000' }],
    address: { lines: ['23 place des Carmes-Déchaux'], postcode: '63000', city: 'Clermont-Ferrand', country: 'FR' },
    lre_consent: { on: '2026-01-15', means: 'signed terms, art. 7' },
    scenario_id: scenarioId,
    external_ref: 'crm-michelin',
    metadata: { erp: 'C-0042' },
  })
  t.equal(res.statusCode, 201)
  const created = res.json()
  t.match(created.id, idPattern('debtor'))
  t.match(created, {
    object: 'debtor',
    kind: 'business',
    siren: '732829320',
    siret: '73282932000074',
    vat_number: 'FR44732829320',
    language: 'fr',
    timezone: 'Europe/Paris',
    segment: 'key-accounts',
    lre_consent: { on: '2026-01-15', means: 'signed terms, art. 7' },
    scenario_id: scenarioId,
    external_ref: 'crm-michelin',
    balances: [],
    average_days_late: null,
    last_contact_at: null,
    metadata: { erp: 'C-0042' },
  })
  t.equal(created.contacts[0].phone, '+33473320000')

  const read = await ctx.inject({ method: 'GET', url: `/v1/debtors/${created.id}`, headers: bearer(key) })
  t.equal(read.statusCode, 200)
  t.same(read.json(), created, 'what was answered is what is stored')
  t.match(read.headers.etag, /^"[0-9a-f]{32}"$/)

  const events = await systemQuery<{ type: string; tenant_id: string; data: { object: unknown } }>(
    ctx.database,
    `select type, tenant_id, data from events where object_id = $1`,
    [created.id],
  )
  t.equal(events.length, 1)
  t.match(events[0], { type: 'debtor.created', tenant_id: tenantId })
  t.same(events[0]!.data.object, created, 'the event carries the debtor as the API shows it')
})

t.test('a consumer with only the required fields gets the defaults', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const res = await postDebtor(ctx, key, { kind: 'consumer', name: 'Jeanne Martin', country: 'BE', timezone: 'Europe/Kyiv', language: 'nl' })
  t.equal(res.statusCode, 201)
  t.match(res.json(), {
    kind: 'consumer',
    country: 'BE',
    language: 'nl',
    timezone: 'Europe/Kyiv',
    siren: null,
    siret: null,
    vat_number: null,
    segment: null,
    contacts: [],
    address: null,
    lre_consent: null,
    scenario_id: null,
    external_ref: null,
    metadata: {},
  })
})

t.test('list: newest first, cursor pagination, filters', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const specs = [
    { kind: 'business', name: 'D0', country: 'FR', segment: 'smb' },
    { kind: 'consumer', name: 'D1', country: 'FR', segment: 'retail' },
    { kind: 'business', name: 'D2', country: 'DE', segment: 'smb', external_ref: 'erp-2' },
    { kind: 'public_body', name: 'D3', country: 'FR' },
    { kind: 'business', name: 'D4', country: 'BE', segment: 'smb' },
  ]
  for (const spec of specs) await createDebtor(ctx, key, spec)

  const seen: string[] = []
  let after: string | undefined
  for (let pages = 0; pages < 10; pages++) {
    const res = await ctx.inject({ method: 'GET', url: `/v1/debtors?limit=2${after ? `&starting_after=${after}` : ''}`, headers: bearer(key) })
    const page = res.json()
    t.equal(page.object, 'list')
    t.ok(page.data.length <= 2)
    seen.push(...page.data.map((d: { name: string }) => d.name))
    if (!page.has_more) break
    after = page.data.at(-1).id
  }
  t.same(seen, ['D4', 'D3', 'D2', 'D1', 'D0'])

  const names = async (query: string) =>
    (await ctx.inject({ method: 'GET', url: `/v1/debtors?${query}`, headers: bearer(key) })).json().data.map((d: { name: string }) => d.name)
  t.same(await names('kind=business'), ['D4', 'D2', 'D0'])
  t.same(await names('segment=smb'), ['D4', 'D2', 'D0'])
  t.same(await names('country=FR'), ['D3', 'D1', 'D0'])
  t.same(await names('external_ref=erp-2'), ['D2'])
  t.same(await names('kind=business&segment=smb&country=FR'), ['D0'], 'filters combine')
  t.same(await names('segment=none'), [])
})

t.test('PATCH honours If-Match, clears with null and writes debtor.updated', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const debtor = await createDebtor(ctx, key, { ...michelin, segment: 'key-accounts', metadata: { a: '1' } })
  const read = await ctx.inject({ method: 'GET', url: `/v1/debtors/${debtor.id}`, headers: bearer(key) })
  const etag = read.headers.etag as string

  const first = await ctx.inject({
    method: 'PATCH',
    url: `/v1/debtors/${debtor.id}`,
    headers: { ...bearer(key), 'if-match': etag },
    payload: { name: 'Michelin', segment: null, siret: null, contacts: [{ email: 'ar@michelin.example' }], language: 'en' },
  })
  t.equal(first.statusCode, 200)
  t.match(first.json(), { name: 'Michelin', segment: null, siret: null, siren: '732829320', language: 'en', metadata: { a: '1' } })
  t.same(first.json().contacts, [{ email: 'ar@michelin.example' }])
  t.not(first.headers.etag, etag, 'the ETag changes with the object')

  const stale = await ctx.inject({
    method: 'PATCH',
    url: `/v1/debtors/${debtor.id}`,
    headers: { ...bearer(key), 'if-match': etag },
    payload: { name: 'Lost update' },
  })
  t.equal(stale.statusCode, 412)
  t.equal(stale.json().code, 'precondition_failed')

  const after = await ctx.inject({ method: 'GET', url: `/v1/debtors/${debtor.id}`, headers: bearer(key) })
  t.equal(after.json().name, 'Michelin', 'the stale write changed nothing')
  t.equal(after.headers.etag, first.headers.etag)

  const noPrecondition = await ctx.inject({
    method: 'PATCH',
    url: `/v1/debtors/${debtor.id}`,
    headers: bearer(key),
    payload: { lre_consent: { on: '2026-02-01', means: 'email opt-in' }, external_ref: 'crm-1' },
  })
  t.match(noPrecondition.json(), { lre_consent: { on: '2026-02-01', means: 'email opt-in' }, external_ref: 'crm-1' })

  const events = await systemQuery<{ type: string; name: string }>(
    ctx.database,
    `select type, data->'object'->>'name' as name from events where object_id = $1 order by event_id`,
    [debtor.id],
  )
  t.same(
    events.map((e) => e.type),
    ['debtor.created', 'debtor.updated', 'debtor.updated'],
    'one event per change, none for the refused one',
  )
  t.equal(events[1]!.name, 'Michelin')
})

t.test('balances per currency, days late, and one aggregate query per list page', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const today = todayUtc()
  const a = await createDebtor(ctx, key, { kind: 'business', name: 'A', country: 'FR' })
  await createDebtor(ctx, key, { kind: 'business', name: 'B', country: 'GB' })
  const day = (n: number) => addDays(today, n)
  // A: EUR 1000 overdue + 250 left on a partially paid one not due yet; GBP 700 overdue (disputed).
  await insertInvoice(ctx, tenantId, a.id, { total: 1000, issue: day(-40), due: day(-10) })
  await insertInvoice(ctx, tenantId, a.id, { total: 400, paid: 150, issue: day(-5), due: day(25) })
  await insertInvoice(ctx, tenantId, a.id, { total: 700, currency: 'GBP', issue: day(-60), due: day(-30), status: 'disputed' })
  await insertInvoice(ctx, tenantId, a.id, { total: 999, issue: day(-60), due: day(-30), status: 'cancelled', cancelledAt: `${day(-20)}T10:00:00Z` })
  await insertInvoice(ctx, tenantId, a.id, { total: 50, issue: day(-1), due: day(0) })
  // Paid 5 and 10 days late, and one paid early (counts as 0): average (5 + 10 + 0) / 3 = 5.
  await insertInvoice(ctx, tenantId, a.id, { total: 100, paid: 100, status: 'paid', issue: day(-40), due: day(-20), paidAt: `${day(-15)}T23:30:00Z` })
  await insertInvoice(ctx, tenantId, a.id, { total: 100, paid: 100, status: 'paid', currency: 'GBP', issue: day(-40), due: day(-30), paidAt: `${day(-20)}T08:00:00Z` })
  await insertInvoice(ctx, tenantId, a.id, { total: 100, paid: 100, status: 'paid', issue: day(-40), due: day(-10), paidAt: `${day(-12)}T08:00:00Z` })

  const got = (await ctx.inject({ method: 'GET', url: `/v1/debtors/${a.id}`, headers: bearer(key) })).json()
  t.same(got.balances, [
    { currency: 'EUR', outstanding: 1300, overdue: 1000 },
    { currency: 'GBP', outstanding: 700, overdue: 700 },
  ])
  t.equal(got.average_days_late, 5)

  const list = (await ctx.inject({ method: 'GET', url: '/v1/debtors', headers: bearer(key) })).json()
  t.same(
    list.data.map((d: { name: string; balances: unknown; average_days_late: unknown }) => [d.name, d.balances, d.average_days_late]),
    [
      ['B', [], null],
      ['A', got.balances, 5],
    ],
    'the list shows the same figures as a single read',
  )

  // Count the statements a list request sends: the same for 2 debtors as for 12.
  const pg = await import('pg')
  const original = pg.default.Client.prototype.query
  let statements = 0
  const count = async (url: string) => {
    statements = 0
    pg.default.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
      statements++
      return (original as (...a: unknown[]) => unknown).apply(this, args)
    } as typeof original
    try {
      const res = await ctx.inject({ method: 'GET', url, headers: bearer(key) })
      t.equal(res.statusCode, 200)
    } finally {
      pg.default.Client.prototype.query = original
    }
    return statements
  }
  const forTwo = await count('/v1/debtors')
  for (let i = 0; i < 10; i++) {
    const d = await createDebtor(ctx, key, { kind: 'consumer', name: `C${i}`, country: 'FR' })
    await insertInvoice(ctx, tenantId, d.id, { total: 10 + i, issue: day(-3), due: day(-1) })
  }
  const forTwelve = await count('/v1/debtors')
  t.ok(forTwo > 0)
  t.equal(forTwelve, forTwo, 'no query per row')
  const page = (await ctx.inject({ method: 'GET', url: '/v1/debtors?limit=3', headers: bearer(key) })).json()
  t.same(page.data[0].balances, [{ currency: 'EUR', outstanding: 19, overdue: 19 }])
})

t.test('statement as of a date: open items, aging buckets, totals per currency', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const d = await createDebtor(ctx, key)
  const asOf = '2026-03-31'
  const add = (inv: Parameters<typeof insertInvoice>[3]) => insertInvoice(ctx, tenantId, d.id, inv)
  await add({ number: 'NOT-DUE', total: 100, issue: '2026-03-01', due: '2026-04-15' })
  await add({ number: 'DUE-TODAY', total: 110, issue: '2026-03-01', due: '2026-03-31' })
  await add({ number: 'D1', total: 200, issue: '2026-02-01', due: '2026-03-30' })
  await add({ number: 'D30', total: 300, issue: '2026-02-01', due: '2026-03-01' })
  await add({ number: 'D31', total: 400, issue: '2026-01-01', due: '2026-02-28' })
  await add({ number: 'D60', total: 500, issue: '2026-01-01', due: '2026-01-30' })
  await add({ number: 'D61', total: 600, issue: '2025-12-01', due: '2026-01-29' })
  await add({ number: 'D90', total: 700, issue: '2025-12-01', due: '2025-12-31' })
  await add({ number: 'D91', total: 800, issue: '2025-11-01', due: '2025-12-30' })
  await add({ number: 'GBP-OLD', total: 5000, currency: 'GBP', issue: '2025-01-01', due: '2025-02-01' })
  await add({ number: 'GBP-NEW', total: 70, currency: 'GBP', issue: '2026-03-20', due: '2026-04-20', status: 'disputed' })
  // Not open on 31 March: issued later, cancelled before, fully paid before.
  await add({ number: 'LATER', total: 1, issue: '2026-04-01', due: '2026-04-30' })
  await add({ number: 'CANCELLED', total: 1, issue: '2026-01-01', due: '2026-01-31', status: 'cancelled', cancelledAt: '2026-03-15T12:00:00Z' })
  const paid = await add({ number: 'PAID', total: 250, paid: 250, status: 'paid', issue: '2026-01-01', due: '2026-01-31', paidAt: '2026-03-10T09:00:00Z' })
  await insertPayment(ctx, tenantId, d.id, { invoiceId: paid, amount: 250, receivedOn: '2026-03-10' })
  // Open on 31 March even though something changed since: cancelled in April, paid in April.
  await add({ number: 'CANCELLED-LATER', total: 30, issue: '2026-03-01', due: '2026-03-20', status: 'cancelled', cancelledAt: '2026-04-02T08:00:00Z' })
  const paidLater = await add({ number: 'PAID-LATER', total: 40, paid: 40, status: 'paid', issue: '2026-03-01', due: '2026-03-20', paidAt: '2026-04-03T08:00:00Z' })
  await insertPayment(ctx, tenantId, d.id, { invoiceId: paidLater, amount: 40, receivedOn: '2026-04-03' })
  // Partly paid before, with a payment reversed after the date: on 31 March it still counted.
  const partial = await add({ number: 'PARTIAL', total: 1000, paid: 0, status: 'open', issue: '2026-02-01', due: '2026-03-15' })
  await insertPayment(ctx, tenantId, d.id, { invoiceId: partial, amount: 600, receivedOn: '2026-03-05', reversedAt: '2026-04-10T00:00:00Z' })

  const res = await ctx.inject({ method: 'GET', url: `/v1/debtors/${d.id}/statement?as_of=${asOf}`, headers: bearer(key) })
  t.equal(res.statusCode, 200)
  const statement = res.json()
  t.match(statement, { object: 'debtor_statement', debtor_id: d.id, as_of: asOf })
  const byNumber = Object.fromEntries(
    statement.items.map((i: { number: string; amount_due: number; days_past_due: number; bucket: string }) => [i.number, [i.amount_due, i.days_past_due, i.bucket]]),
  )
  t.same(byNumber, {
    'NOT-DUE': [100, -15, 'not_yet_due'],
    'DUE-TODAY': [110, 0, 'not_yet_due'],
    D1: [200, 1, 'days_1_30'],
    D30: [300, 30, 'days_1_30'],
    D31: [400, 31, 'days_31_60'],
    D60: [500, 60, 'days_31_60'],
    D61: [600, 61, 'days_61_90'],
    D90: [700, 90, 'days_61_90'],
    D91: [800, 91, 'over_90'],
    'GBP-OLD': [5000, 423, 'over_90'],
    'GBP-NEW': [70, -20, 'not_yet_due'],
    'CANCELLED-LATER': [30, 11, 'days_1_30'],
    'PAID-LATER': [40, 11, 'days_1_30'],
    PARTIAL: [400, 16, 'days_1_30'],
  })
  t.same(
    statement.items.map((i: { due_date: string }) => i.due_date),
    [...statement.items.map((i: { due_date: string }) => i.due_date)].sort(),
    'oldest due date first',
  )
  t.same(statement.totals, [
    { currency: 'EUR', amount_due: 4180, not_yet_due: 210, days_1_30: 970, days_31_60: 900, days_61_90: 1300, over_90: 800 },
    { currency: 'GBP', amount_due: 5070, not_yet_due: 70, days_1_30: 0, days_31_60: 0, days_61_90: 0, over_90: 5000 },
  ])

  const later = await ctx.inject({ method: 'GET', url: `/v1/debtors/${d.id}/statement?as_of=2026-04-15`, headers: bearer(key) })
  const laterNumbers = later.json().items.map((i: { number: string }) => i.number)
  t.notOk(laterNumbers.includes('PAID-LATER'), 'paid by then')
  t.notOk(laterNumbers.includes('CANCELLED-LATER'), 'cancelled by then')
  t.ok(laterNumbers.includes('LATER'), 'issued by then')
  t.equal(later.json().items.find((i: { number: string }) => i.number === 'PARTIAL').amount_due, 1000, 'the reversed payment no longer counts')
})

t.test('statement defaults to today (UTC)', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const d = await createDebtor(ctx, key)
  const today = todayUtc()
  await insertInvoice(ctx, tenantId, d.id, { total: 123, issue: addDays(today, -50), due: addDays(today, -45) })
  const res = await ctx.inject({ method: 'GET', url: `/v1/debtors/${d.id}/statement`, headers: bearer(key) })
  t.equal(res.json().as_of, today)
  t.match(res.json().items, [{ amount_due: 123, days_past_due: 45, bucket: 'days_31_60' }])
  const empty = await createDebtor(ctx, key, { kind: 'consumer', name: 'Nobody', country: 'FR' })
  const none = await ctx.inject({ method: 'GET', url: `/v1/debtors/${empty.id}/statement`, headers: bearer(key) })
  t.same(none.json(), { object: 'debtor_statement', debtor_id: empty.id, as_of: today, items: [], totals: [] })
})
