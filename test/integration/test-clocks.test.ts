import t from 'tap'
import { bearer, buildTestApp, createTenant } from '../helper.js'

t.test('a sandbox tenant attaches one test clock and moves it forward', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx, { name: 'Sandbox', mode: 'sandbox' })
  const created = await ctx.inject({
    method: 'POST',
    url: '/v1/test-clocks',
    headers: bearer(key),
    payload: { name: 'Q1 scenario', frozen_time: '2026-01-01T09:00:00Z' },
  })
  t.equal(created.statusCode, 201)
  const clock = created.json()
  t.match(clock, { object: 'test_clock', attached: true, status: 'ready', frozen_time: '2026-01-01T09:00:00.000Z' })
  t.match(clock.id, /^clk_/)

  const second = await ctx.inject({ method: 'POST', url: '/v1/test-clocks', headers: bearer(key), payload: {} })
  t.equal(second.statusCode, 409, 'one attached clock per tenant')

  const advanced = await ctx.inject({
    method: 'POST',
    url: `/v1/test-clocks/${clock.id}/advance`,
    headers: bearer(key),
    payload: { frozen_time: '2026-02-15T09:00:00Z' },
  })
  t.equal(advanced.statusCode, 200)
  t.equal(advanced.json().frozen_time, '2026-02-15T09:00:00.000Z')

  for (const [to, why] of [
    ['2026-02-01T00:00:00Z', 'backwards'],
    ['2027-12-31T00:00:00Z', 'more than 400 days'],
  ] as const) {
    const res = await ctx.inject({ method: 'POST', url: `/v1/test-clocks/${clock.id}/advance`, headers: bearer(key), payload: { frozen_time: to } })
    t.equal(res.statusCode, 422, why)
    t.equal(res.json().errors[0].path, 'body.frozen_time')
  }
  const bad = await ctx.inject({ method: 'POST', url: `/v1/test-clocks/${clock.id}/advance`, headers: bearer(key), payload: { frozen_time: 'tomorrow' } })
  t.equal(bad.statusCode, 400)

  const detached = await ctx.inject({ method: 'DELETE', url: `/v1/test-clocks/${clock.id}`, headers: bearer(key) })
  t.match(detached.json(), { attached: false })
  const again = await ctx.inject({ method: 'POST', url: '/v1/test-clocks', headers: bearer(key), payload: {} })
  t.equal(again.statusCode, 201, 'a new clock once the old one is detached')
})

t.test('live tenants have no test clock; other tenants see none of them', async (t) => {
  const ctx = await buildTestApp(t)
  const live = await createTenant(ctx, { name: 'Live', mode: 'live' })
  const res = await ctx.inject({ method: 'POST', url: '/v1/test-clocks', headers: bearer(live.key), payload: {} })
  t.equal(res.statusCode, 422)
  const a = await createTenant(ctx, { name: 'A' })
  const clock = (await ctx.inject({ method: 'POST', url: '/v1/test-clocks', headers: bearer(a.key), payload: {} })).json()
  const b = await createTenant(ctx, { name: 'B' })
  t.equal((await ctx.inject({ method: 'GET', url: `/v1/test-clocks/${clock.id}`, headers: bearer(b.key) })).statusCode, 404)
  t.equal(
    (await ctx.inject({ method: 'POST', url: `/v1/test-clocks/${clock.id}/advance`, headers: bearer(b.key), payload: { frozen_time: '2099-01-01T00:00:00Z' } }))
      .statusCode,
    404,
  )
  t.same((await ctx.inject({ method: 'GET', url: '/v1/test-clocks', headers: bearer(b.key) })).json().data, [])
})

t.test('test clocks and the debtor timeline through GraphQL', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx, { name: 'Sandbox', mode: 'sandbox' })
  const gql = (query: string) => ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(key), payload: { query } }).then((r) => r.json())
  const created = await gql('mutation { createTestClock(input: { frozenTime: "2026-02-20T09:30:00Z" }) { id frozenTime attached } }')
  t.match(created.data.createTestClock, { frozenTime: '2026-02-20T09:30:00.000Z', attached: true })
  const debtor = (
    await ctx.inject({ method: 'POST', url: '/v1/debtors', headers: bearer(key), payload: { kind: 'business', name: 'D', country: 'FR' } })
  ).json()
  await ctx.inject({
    method: 'POST',
    url: '/v1/invoices',
    headers: bearer(key),
    payload: { debtor_id: debtor.id, number: 'T-1', currency: 'EUR', amount_total: 500, issue_date: '2026-02-01', due_date: '2026-03-02' },
  })
  const timeline = await gql(`{ debtorTimeline(debtorId: "${debtor.id}", days: 15) { asOf entries { stepKey channel at due } } }`)
  t.equal(timeline.data.debtorTimeline.asOf, '2026-02-20T09:30:00.000Z', "the timeline reads the tenant's test clock")
  t.same(
    timeline.data.debtorTimeline.entries.map((e: { stepKey: string }) => e.stepKey),
    ['courtesy_notice', 'first_reminder'],
    'the first two steps fall within 15 days',
  )
  const advanced = await gql(`mutation { advanceTestClock(id: "${created.data.createTestClock.id}", frozenTime: "2026-02-25T09:30:00Z") { frozenTime } }`)
  t.equal(advanced.data.advanceTestClock.frozenTime, '2026-02-25T09:30:00.000Z')
  const after = await gql(`{ debtorTimeline(debtorId: "${debtor.id}", days: 20) { entries { stepKey } } }`)
  t.equal(after.data.debtorTimeline.entries[0].stepKey, 'first_reminder', 'the courteous notice went out when the clock moved')
  const backwards = await gql(`mutation { advanceTestClock(id: "${created.data.createTestClock.id}", frozenTime: "2026-01-01T00:00:00Z") { id } }`)
  t.match(backwards.errors[0].extensions, { code: 'unprocessable', errors: [{ path: 'input.frozenTime' }] })
})
