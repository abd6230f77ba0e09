import t from 'tap'
import { RETRY_SCHEDULE_MS } from '../../src/modules/webhooks/retry-schedule.js'
import { systemQuery } from '../helper.js'
import { createDebtor, createEndpoint, headerOf, startSink, webhookWorld } from './webhook-fixtures.js'

const at = (base: Date, ms: number) => new Date(base.getTime() + ms)

t.test('retries follow the Standard Webhooks schedule, keep the webhook-id, then the delivery fails', async (t) => {
  const world = await webhookWorld(t)
  const sink = await startSink(t, () => ({ status: 500, body: 'down for maintenance' }))
  const endpoint = await createEndpoint(world, sink.url)
  await createDebtor(world)

  let clock = new Date()
  t.match(await world.pump(clock), { attempted: 1, failed: 1 }, 'attempt 1 at once')
  for (let step = 1; step < RETRY_SCHEDULE_MS.length; step++) {
    const delay = RETRY_SCHEDULE_MS[step]!
    t.equal((await world.pump(at(clock, delay - 1000))).attempted, 0, `nothing before the ${delay / 1000} s step`)
    clock = at(clock, delay)
    t.equal((await world.pump(clock)).attempted, 1, `attempt ${step + 1} after ${delay / 1000} s`)
  }
  t.equal((await world.pump(at(clock, 30 * 86_400_000))).attempted, 0, 'no attempt after the tenth')

  t.equal(sink.received.length, 10)
  t.equal(new Set(sink.received.map((r) => headerOf(r, 'webhook-id'))).size, 1, 'one webhook-id across retries')
  t.equal(new Set(sink.received.map((r) => r.body)).size, 1, 'the same body bytes every time')
  const log = (await world.api('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=100`)).json()
  t.same(log.data.map((a: { attempt: number }) => a.attempt), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
  t.match(log.data[0], { succeeded: false, status_code: 500, response_body: 'down for maintenance', error: 'HTTP 500', delivery_status: 'failed' })
  t.equal((await world.api('GET', `/v1/webhook-endpoints/${endpoint.id}`)).json().enabled, true, 'about 3 days of failure does not disable')
})

t.test('a 410 disables the endpoint at once and a webhook_endpoint.disabled event reaches the other endpoints', async (t) => {
  const world = await webhookWorld(t)
  const gone = await startSink(t, () => ({ status: 410 }))
  const watcher = await startSink(t)
  const dead = await createEndpoint(world, gone.url, ['debtor.created'])
  await createEndpoint(world, watcher.url, ['webhook_endpoint.disabled'])
  await createDebtor(world)
  await createDebtor(world, 'Second')

  const run = await world.pump()
  t.equal(run.disabled, 1)
  const attempts = gone.received.length
  t.ok(attempts >= 1 && attempts <= 2, 'the batch in flight at most')
  const endpoint = (await world.api('GET', `/v1/webhook-endpoints/${dead.id}`)).json()
  t.match(endpoint, { enabled: false, disabled_reason: 'The endpoint answered 410 Gone' })
  t.equal(watcher.received.length, 1)
  t.match(JSON.parse(watcher.received[0]!.body), { type: 'webhook_endpoint.disabled', data: { object: { id: dead.id, enabled: false } } })
  const events = (await world.api('GET', '/v1/events?type=webhook_endpoint.disabled')).json()
  t.equal(events.data.length, 1)
  const states = await systemQuery<{ status: string }>(world.ctx.database, `select status from webhook_deliveries where endpoint_id = $1`, [dead.id])
  t.same(states.map((s) => s.status).sort(), ['failed', 'failed'], 'its waiting deliveries failed; recover can send them later')
  await createDebtor(world, 'Third')
  await world.pump()
  t.equal(gone.received.length, attempts, 'nothing more goes to a disabled endpoint')
})

t.test('an endpoint failing for 5 days straight is disabled; re-enabled and recovered, it gets what it missed', async (t) => {
  const world = await webhookWorld(t)
  let up = false
  const sink = await startSink(t, () => (up ? { status: 204 } : { status: 503 }))
  const endpoint = await createEndpoint(world, sink.url)
  const start = new Date()
  await createDebtor(world, 'Day 0')
  await world.pump(start)
  t.equal((await world.api('GET', `/v1/webhook-endpoints/${endpoint.id}`)).json().enabled, true)

  await createDebtor(world, 'Day 5')
  const run = await world.pump(at(start, 5 * 86_400_000))
  t.equal(run.disabled, 1, 'the first failure 5 days into the streak disables it')
  t.match((await world.api('GET', `/v1/webhook-endpoints/${endpoint.id}`)).json(), { enabled: false, disabled_reason: /^Every attempt failed since / })

  up = true
  const refused = await world.api('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since: start.toISOString() })
  t.equal(refused.statusCode, 422, 'a disabled endpoint must be enabled before recovering')
  t.equal((await world.api('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { enabled: true })).json().disabled_reason, null)
  const recovered = await world.api('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since: new Date(start.getTime() - 60_000).toISOString() })
  t.match(recovered.json(), { object: 'webhook_recovery', requeued: 2 })
  const before = sink.received.length
  t.match(await world.pump(at(start, 5 * 86_400_000 + 1000)), { attempted: 2, succeeded: 2 })
  const names = sink.received.slice(before).map((r) => JSON.parse(r.body).data.object.name)
  t.same(names, ['Day 0', 'Day 5'], 'in creation order')
})

t.test('resend sends an event again with the same webhook-id; the test event reaches its endpoint only', async (t) => {
  const world = await webhookWorld(t)
  const sink = await startSink(t)
  const other = await startSink(t)
  const endpoint = await createEndpoint(world, sink.url)
  await createEndpoint(world, other.url)
  await createDebtor(world)
  await world.pump()
  const eventId = headerOf(sink.received[0]!, 'webhook-id')

  const resent = await world.api('POST', `/v1/events/${eventId}/resend`, { endpoint_id: endpoint.id })
  t.equal(resent.statusCode, 202)
  t.match(resent.json(), { object: 'event_resend', event_id: eventId, deliveries: [{ id: /^whd_/, endpoint_id: endpoint.id }] })
  await world.pump()
  t.same(sink.received.map((r) => headerOf(r, 'webhook-id')), [eventId, eventId])
  t.equal(other.received.length, 1, 'the other endpoint got the event once')

  const test = await world.api('POST', `/v1/webhook-endpoints/${endpoint.id}/test`)
  t.equal(test.statusCode, 202)
  await world.pump()
  t.equal(sink.received.length, 3)
  t.match(JSON.parse(sink.received[2]!.body), { id: test.json().event_id, type: 'webhook_endpoint.tested', data: { object: { id: endpoint.id } } })
  t.equal(other.received.length, 1, 'a test event goes to the endpoint tested only')
})

t.test('the event filter: an endpoint gets only the types it asked for', async (t) => {
  const world = await webhookWorld(t)
  const sink = await startSink(t)
  await createEndpoint(world, sink.url, ['invoice.paid'])
  await createDebtor(world)
  t.match(await world.pump(), { events: 1, attempted: 0 })
  t.equal(sink.received.length, 0)
  const events = (await world.api('GET', '/v1/events?type=debtor.created')).json()
  t.equal(events.data.length, 1, 'the event is listed all the same')
})
