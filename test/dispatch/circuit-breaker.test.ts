import t from 'tap'
import { CircuitBreaker } from '../../src/modules/dispatch/circuit-breaker.js'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { startSmsSimulator } from '../../src/sandbox/sms-simulator.js'
import { buildTestApp, createTenant, systemQuery } from '../helper.js'
import { debtorWithInvoice, poster, queueDispatch } from './dispatch-fixtures.js'

t.test('a provider in outage trips its connection circuit: dispatches wait in the queue without calling it', async (t) => {
  const sms = await startSmsSimulator()
  t.teardown(() => sms.close())
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'live' })
  await poster(ctx, key)('/v1/channel-connections', {
    name: 'SMS gateway', driver: 'sms-http', channels: ['sms'], credentials: { token: 'sms-token-1234' }, settings: { url: sms.url }, sender: { name: 'Garage Martin' },
  })
  const ids: string[] = []
  for (let i = 0; i < 8; i++) {
    const debt = await debtorWithInvoice(ctx, key, { name: `Client ${i}` })
    ids.push(await queueDispatch(ctx, tenantId, { ...debt, channel: 'sms', stepKey: 'first_reminder', template: 'reminder_first' }))
  }
  const breaker = new CircuitBreaker({ threshold: 5, openMs: 200 })
  const deps = { ...ctx.app.dispatchDeps, concurrency: 1, breaker }
  const rows = () => systemQuery<{ status: string; attempts: number; failure_code: string | null }>(ctx.database, 'select status, attempts, failure_code from dispatches order by dispatch_id')

  sms.setOutage(true)
  let now = new Date()
  const first = await runDispatchPump(ctx.database.db, deps, now)
  t.match(first, { claimed: 8, requeued: 8, failed: 0 })
  t.equal(sms.stats.requests, 5, 'five 503s in a row, then the gateway is left alone')
  const after = await rows()
  t.equal(after.filter((r) => r.failure_code === 'circuit_open').length, 3, 'three dispatches were requeued by the open circuit')
  t.ok(after.every((r) => r.status === 'queued'), 'all wait in the queue')
  t.ok(after.filter((r) => r.failure_code === 'circuit_open').every((r) => Number(r.attempts) === 0), 'a dispatch held back by the circuit keeps its attempts')
  t.equal(breaker.state(`${(await systemQuery<{ connection_id: string }>(ctx.database, 'select connection_id from dispatches limit 1'))[0]!.connection_id}`), 'open')

  await new Promise((resolve) => setTimeout(resolve, 250))
  now = new Date(now.getTime() + 3_600_000)
  const probe = await runDispatchPump(ctx.database.db, deps, now)
  t.equal(sms.stats.requests, 6, 'half-open: one dispatch probes the gateway, still down, and the circuit opens again')
  t.match(probe, { claimed: 8, requeued: 8 })

  sms.setOutage(false)
  await new Promise((resolve) => setTimeout(resolve, 250))
  now = new Date(now.getTime() + 3_600_000)
  const healed = await runDispatchPump(ctx.database.db, deps, now)
  t.match(healed, { claimed: 8, sent: 8 }, 'the probe succeeds, the circuit closes, everything goes')
  t.equal(sms.stats.accepted, 8)
  t.ok(Object.values(sms.stats.sendsByRef).every((n) => n === 1), 'each SMS once')
  t.ok((await rows()).every((r) => r.status === 'sent'))
})
