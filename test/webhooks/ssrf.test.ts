import t from 'tap'
import { newId } from '../../src/shared/ids.js'
import { resolveSecretKey, seal } from '../../src/shared/secret-box.js'
import { bearer, createTenant, systemQuery } from '../helper.js'
import { createEndpoint, startSink, webhookWorld, type WebhookWorld } from './webhook-fixtures.js'

const REFUSED_URLS = [
  ['http://10.0.0.1/hooks', /10\.0\.0\.1 is a private address/],
  ['http://169.254.169.254/latest/meta-data', /link-local \(cloud metadata\)/],
  ['http://localhost:8080/hooks', /localhost resolves to 127\.0\.0\.1, a loopback address/],
  ['http://[::1]/hooks', /::1 is a loopback address/],
  ['http://[::ffff:127.0.0.1]/hooks', /IPv4-mapped IPv6 address/],
  ['http://127.0.0.1:9/hooks', /loopback/],
  ['http://100.64.0.1/hooks', /carrier-grade NAT/],
  ['http://[fd00::1]/hooks', /unique-local/],
  ['http://0.0.0.0/hooks', /unspecified/],
] as const

t.test('URLs reaching internal addresses are refused at creation, naming the field url', async (t) => {
  const world = await webhookWorld(t, {})
  for (const [url, why] of REFUSED_URLS) {
    const res = await world.api('POST', '/v1/webhook-endpoints', { url, enabled_events: ['*'] })
    t.equal(res.statusCode, 400, url)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.match(res.json(), { code: 'validation_failed', errors: [{ path: 'body.url', message: why }] }, url)
  }
  const userinfo = await world.api('POST', '/v1/webhook-endpoints', { url: 'http://user:pw@example.com/', enabled_events: ['*'] })
  t.match(userinfo.json(), { errors: [{ path: 'body.url', message: /credentials/ }] })
  const unknownType = await world.api('POST', '/v1/webhook-endpoints', { url: 'https://example.com/', enabled_events: ['invoice.exploded'] })
  t.equal(unknownType.statusCode, 400)
  t.equal((await world.api('GET', '/v1/webhook-endpoints')).json().data.length, 0, 'nothing was stored')
})

/** An endpoint row as if its URL had passed the check at creation (another allow-list, or DNS said otherwise then). */
async function plantEndpoint(world: WebhookWorld, url: string): Promise<string> {
  const id = newId('webhookEndpoint')
  await systemQuery(
    world.ctx.database,
    `insert into webhook_endpoints (tenant_id, endpoint_id, url, enabled_events, secret_sealed) values ($1, $2, $3, '{*}', $4)`,
    [world.tenantId, id, url, seal(resolveSecretKey(world.ctx.env), 'whsec_' + Buffer.alloc(32, 7).toString('base64'))],
  )
  return id
}

t.test('the check holds again at connect time: IP literals, and names that resolve inside (DNS rebinding)', async (t) => {
  const world = await webhookWorld(t, {})
  const sink = await startSink(t)
  const port = new URL(sink.url).port
  const literal = await plantEndpoint(world, sink.url)
  const mapped = await plantEndpoint(world, `http://[::ffff:127.0.0.1]:${port}/hooks`)
  const rebinding = await plantEndpoint(world, `http://hooks.example.test:${port}/hooks`)
  const localhost = await plantEndpoint(world, `http://localhost:${port}/hooks`)
  const metadata = await plantEndpoint(world, 'http://169.254.169.254/latest/meta-data')
  const ipv6 = await plantEndpoint(world, `http://[::1]:${port}/hooks`)
  const privateNet = await plantEndpoint(world, 'http://10.0.0.1/hooks')
  // The name resolved to a public address when the endpoint was made; it now answers 127.0.0.1.
  const resolve = async (host: string) => (host === 'hooks.example.test' ? [{ address: '127.0.0.1', family: 4 }] : (await import('node:dns')).promises.lookup(host, { all: true }))

  await world.api('POST', '/v1/debtors', { kind: 'business', name: 'Probe', country: 'FR' })
  const run = await world.pump(new Date(), { resolve })
  t.match(run, { attempted: 7, succeeded: 0, failed: 7 })
  t.equal(sink.received.length, 0, 'nothing reached the loopback receiver')
  for (const [id, why] of [
    [literal, /127\.0\.0\.1 is a loopback address/],
    [mapped, /IPv4-mapped/],
    [rebinding, /hooks\.example\.test resolves to 127\.0\.0\.1, a loopback address/],
    [localhost, /localhost resolves to 127\.0\.0\.1/],
    [metadata, /169\.254\.169\.254 is a link-local/],
    [ipv6, /::1 is a loopback/],
    [privateNet, /10\.0\.0\.1 is a private/],
  ] as const) {
    const log = (await world.api('GET', `/v1/webhook-endpoints/${id}/deliveries`)).json()
    t.match(log.data, [{ succeeded: false, status_code: null, error: why }], String(why))
  }

  // The same pump with loopback allowed reaches the receiver: the refusals above come from the guard.
  await systemQuery(world.ctx.database, `update webhook_deliveries set next_attempt_at = now() where endpoint_id in ($1, $2)`, [literal, rebinding])
  const allowed = await world.pump(new Date(Date.now() + 1000), { resolve, allowedCidrs: '127.0.0.1/32', maxRounds: 1 })
  t.ok(allowed.succeeded >= 2)
  t.ok(sink.received.length >= 2)
})

t.test("another tenant's endpoints and events are a 404", async (t) => {
  const world = await webhookWorld(t)
  const sink = await startSink(t)
  const endpoint = await createEndpoint(world, sink.url)
  await world.api('POST', '/v1/debtors', { kind: 'business', name: 'Mine', country: 'FR' })
  const eventId = (await world.api('GET', '/v1/events')).json().data[0].id as string
  const other = await createTenant(world.ctx, { name: 'Other SAS', mode: 'sandbox' })
  const as = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    world.ctx.inject({ method, url, headers: bearer(other.key), ...(payload ? { payload } : {}) })
  for (const [method, url, payload] of [
    ['GET', `/v1/webhook-endpoints/${endpoint.id}`],
    ['PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { description: 'mine now' }],
    ['DELETE', `/v1/webhook-endpoints/${endpoint.id}`],
    ['POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {}],
    ['POST', `/v1/webhook-endpoints/${endpoint.id}/test`],
    ['POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since: '2020-01-01T00:00:00Z' }],
    ['GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`],
    ['GET', `/v1/events/${eventId}`],
    ['POST', `/v1/events/${eventId}/resend`],
  ] as const) {
    t.equal((await as(method, url, payload)).statusCode, 404, `${method} ${url}`)
  }
  t.equal((await as('GET', '/v1/events')).json().data.length, 0)
  t.equal((await as('GET', '/v1/webhook-endpoints')).json().data.length, 0)
  t.equal((await world.api('GET', `/v1/webhook-endpoints/${endpoint.id}`)).json().description, null, 'unchanged')
})
