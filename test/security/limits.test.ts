/**
 * Limits, against a real listening server: the per-key rate limit (REST and GraphQL share it),
 * slow clients cut off by the header and request timeouts without holding the server, body,
 * header and page-size limits answered as problem+json, and secrets stored as ciphertext.
 */
import type { Socket } from 'node:net'
import pg from 'pg'
import t from 'tap'
import { bearer, buildTestApp, createTenant, type TestApp } from '../helper.js'
import { dribble, rawExchange, sleep } from './raw-http.js'
import { HARDENING_ENV } from './seed-world.js'

async function listening(t: Parameters<typeof buildTestApp>[0], overrides: Record<string, string> = {}) {
  const ctx = await buildTestApp(t, overrides)
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const address = ctx.app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { ctx, port, base: `http://127.0.0.1:${port}` }
}

const openConnections = (ctx: TestApp) => new Promise<number>((resolve) => ctx.app.server.getConnections((_e, n) => resolve(n)))

async function call(url: string, key: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, headers: { ...bearer(key), 'content-type': 'application/json', ...(init.headers as Record<string, string>) } })
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> & { errors?: { path: string }[] } }
}

const rateHeaders = (h: Headers) => ({ limit: h.get('ratelimit-limit'), remaining: h.get('ratelimit-remaining'), reset: Number(h.get('ratelimit-reset')) })

t.test('the rate limit counts per API key, over REST and GraphQL, and says so in headers', async (t) => {
  const { ctx, base } = await listening(t, { RELANCE_RATE_LIMIT_PER_MINUTE: '5' })
  const a = await createTenant(ctx, { name: 'A SAS', mode: 'sandbox' })
  const b = await createTenant(ctx, { name: 'B SAS', mode: 'sandbox' })
  const secondKeyOfA = await call(`${base}/v1/api-keys`, a.key, { method: 'POST', body: JSON.stringify({ name: 'second' }) })
  const a2 = secondKeyOfA.body.secret as string // that creation was request 1 of a.key's budget

  const remaining: (string | null)[] = []
  for (let i = 0; i < 3; i++) {
    const res = await call(`${base}/v1/debtors`, a.key)
    t.equal(res.status, 200)
    const h = rateHeaders(res.headers)
    t.equal(h.limit, '5', 'a successful answer carries RateLimit-Limit')
    t.ok(h.reset > 0 && h.reset <= 60, `RateLimit-Reset in seconds (${h.reset})`)
    remaining.push(h.remaining)
  }
  t.same(remaining, ['3', '2', '1'])
  const graphql = await call(`${base}/graphql`, a.key, { method: 'POST', body: JSON.stringify({ query: '{ tenant { id } }' }) })
  t.equal(graphql.status, 200)
  t.equal(graphql.headers.get('ratelimit-remaining'), '0', 'GraphQL spends the same budget as REST')

  const refused = await call(`${base}/v1/debtors`, a.key)
  t.equal(refused.status, 429)
  t.match(refused.headers.get('content-type'), /^application\/problem\+json/)
  t.match(refused.body, { code: 'rate_limited', status: 429, type: 'urn:relance:problem:rate_limited', request_id: refused.headers.get('request-id') })
  const retryAfter = Number(refused.headers.get('retry-after'))
  t.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After in seconds (${retryAfter})`)
  t.same(rateHeaders(refused.headers).remaining, '0')
  const refusedGraphql = await call(`${base}/graphql`, a.key, { method: 'POST', body: JSON.stringify({ query: '{ tenant { id } }' }) })
  t.equal(refusedGraphql.status, 429, 'GraphQL is refused with the same status')
  t.match(refusedGraphql.body, { errors: [{ extensions: { code: 'rate_limited' } }] })
  t.ok(Number(refusedGraphql.headers.get('retry-after')) > 0)

  // Same client address throughout: only the key tells these budgets apart.
  const otherKeySameTenant = await call(`${base}/v1/debtors`, a2)
  t.equal(otherKeySameTenant.status, 200, "a second key of the tenant has its own budget")
  t.equal(otherKeySameTenant.headers.get('ratelimit-remaining'), '4')
  const otherTenant = await call(`${base}/v1/debtors`, b.key)
  t.equal(otherTenant.status, 200, "another tenant's key is not affected")
  t.equal(otherTenant.headers.get('ratelimit-remaining'), '4')
  const platformActingForA = await call(`${base}/v1/debtors`, ctx.platformKey, { headers: { 'relance-tenant': a.tenantId } })
  t.equal(platformActingForA.status, 200, 'the platform key acting for tenant A counts on its own')

  const invalid = await call(`${base}/v1/debtors?limit=0`, b.key)
  t.equal(invalid.status, 400)
  t.equal(invalid.headers.get('ratelimit-remaining'), '3', 'a refused request spends the budget and carries the headers')
  const anonymous = await fetch(`${base}/v1/debtors`)
  t.equal(anonymous.status, 401)
  t.equal((await call(`${base}/v1/debtors`, b.key)).headers.get('ratelimit-remaining'), '2', 'an unauthenticated request spends no key’s budget')
})

const SLOW = { RELANCE_HTTP_HEADERS_TIMEOUT_MS: '600', RELANCE_HTTP_REQUEST_TIMEOUT_MS: '1500', RELANCE_HTTP_IDLE_TIMEOUT_MS: '10000' }

t.test('clients sending headers or a body too slowly are cut off without holding the server', async (t) => {
  const { ctx, port, base } = await listening(t, SLOW)
  const { key } = await createTenant(ctx)
  // Each would take 10 s at this pace; the limits are 0.6 s for the headers, 1.5 s for the request.
  const slowHeaders = (socket: Socket) => dribble(socket, `GET /v1/debtors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`, 50)
  const body = JSON.stringify({ kind: 'business', name: `Slow ${'x'.repeat(150)}`, country: 'FR' })
  const slowBody = async (socket: Socket) => {
    socket.write(`POST /v1/debtors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`)
    await dribble(socket, body, 50)
  }
  const clients = [...Array.from({ length: 10 }, () => rawExchange(port, slowHeaders)), ...Array.from({ length: 10 }, () => rawExchange(port, slowBody))]

  await sleep(200)
  const during = performance.now()
  const health = await fetch(`${base}/healthz`, { headers: { connection: 'close' } })
  t.equal(health.status, 200, 'the server answers others while 20 slow clients are connected')
  t.ok(performance.now() - during < 3000, `promptly (${Math.round(performance.now() - during)} ms)`)

  const answers = await Promise.all(clients)
  for (const [what, list, limit] of [['headers', answers.slice(0, 10), 600], ['body', answers.slice(10), 1500]] as const) {
    const first = list[0]!
    t.ok(list.every((a) => a.closedByServer), `every slow-${what} client was disconnected by the server`)
    t.ok(list.every((a) => a.status === 408), `with a 408 (${list.map((a) => a.status).join(',')})`)
    t.match(first.headers['content-type'], /^application\/problem\+json/)
    t.match(JSON.parse(first.body), { code: 'request_timeout', status: 408, request_id: first.headers['request-id'] })
    const slowest = Math.max(...list.map((a) => a.ms))
    const fastest = Math.min(...list.map((a) => a.ms))
    t.ok(fastest >= limit - 50 && slowest < limit + 2500, `cut off after ${Math.round(fastest)}–${Math.round(slowest)} ms (limit ${limit} ms)`)
  }
  await sleep(100)
  t.equal(await openConnections(ctx), 0, 'no connection is left open')
  const debtors = await call(`${base}/v1/debtors`, key)
  t.same(debtors.body.data, [], 'the half-sent creations stored nothing')
})

t.test('a keep-alive connection may stay idle longer than the headers timeout', async (t) => {
  const { port } = await listening(t, SLOW)
  const answer = await rawExchange(port, async (socket) => {
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
    await sleep(1200) // twice the headers timeout, within the keep-alive timeout
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  })
  t.equal(answer.raw.match(/HTTP\/1\.1 200/g)?.length, 2, 'both requests were answered')
})

t.test('bodies over the limit are refused with 413, at once when the length is declared', async (t) => {
  const { ctx, port, base } = await listening(t, { RELANCE_BODY_LIMIT_BYTES: '2048', RELANCE_HTTP_REQUEST_TIMEOUT_MS: '30000' })
  const { key } = await createTenant(ctx)
  const tooLarge = await call(`${base}/v1/debtors`, key, { method: 'POST', body: JSON.stringify({ kind: 'business', name: 'x'.repeat(4000), country: 'FR' }) })
  t.equal(tooLarge.status, 413)
  t.match(tooLarge.headers.get('content-type'), /^application\/problem\+json/)
  t.match(tooLarge.body, { code: 'payload_too_large', status: 413 })

  const declared = await rawExchange(port, async (socket) => {
    socket.write(`POST /v1/debtors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n{"name":`)
  }, 5000)
  t.equal(declared.status, 413, 'a declared 50 MB body is refused')
  t.ok(declared.ms < 2000, `before it is sent (${Math.round(declared.ms)} ms)`)
  t.equal(JSON.parse(declared.body).code, 'payload_too_large')
})

t.test('too large or too many headers answer 431', async (t) => {
  const { ctx, port } = await listening(t)
  const { key } = await createTenant(ctx)
  const send = (headers: string) => rawExchange(port, async (socket) => {
    socket.write(`GET /v1/debtors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n${headers}\r\n`)
  })
  const large = await send(`X-Large: ${'a'.repeat(20_000)}\r\n`)
  t.equal(large.status, 431, 'a 20 kB header is over the 16 kB default')
  t.match(large.headers['content-type'], /^application\/problem\+json/)
  t.match(JSON.parse(large.body), { code: 'headers_too_large', status: 431, request_id: large.headers['request-id'] })
  t.ok(large.closedByServer)

  const fields = (n: number) => Array.from({ length: n }, (_, i) => `X-Field-${i}: ${i}\r\n`).join('')
  const atLimit = await send(fields(97)) // + Host, Authorization, Connection = 100
  t.equal(atLimit.status, 200, '100 header fields are accepted')
  const overLimit = await send(fields(98))
  t.equal(overLimit.status, 431, '101 are not')
  t.match(JSON.parse(overLimit.body), { code: 'headers_too_large', detail: 'A request may carry at most 100 header fields.' })
})

t.test('a page size above the maximum is refused naming limit', async (t) => {
  const { ctx, base } = await listening(t)
  const { key } = await createTenant(ctx)
  for (const path of ['/v1/invoices', '/v1/debtors', '/v1/payments', '/v1/dispatches', '/v1/events']) {
    const over = await call(`${base}${path}?limit=101`, key)
    t.equal(over.status, 400, `${path}?limit=101`)
    t.match(over.body, { code: 'validation_failed', errors: [{ path: 'querystring.limit' }] })
    t.equal((await call(`${base}${path}?limit=100`, key)).status, 200, `${path}?limit=100`)
  }
  const graphql = await call(`${base}/graphql`, key, { method: 'POST', body: JSON.stringify({ query: '{ invoices(first: 101) { edges { node { id } } } }' }) })
  t.match(graphql.body, { errors: [{ extensions: { code: 'validation_failed' } }] })
  t.match(JSON.stringify(graphql.body.errors), /first/, 'GraphQL names `first`')
})

t.test('provider credentials, webhook secrets and API keys are not stored in the clear', async (t) => {
  const { ctx, base } = await listening(t, HARDENING_ENV)
  const { tenantId, key } = await createTenant(ctx)
  const user = 'relance-smtp-user-5b1e'
  const password = 'Pr0vider-Password-91c4d2'
  const created = await call(`${base}/v1/channel-connections`, key, {
    method: 'POST',
    body: JSON.stringify({
      name: 'Relay', driver: 'email-smtp', channels: ['email'], enabled: false, credentials: { user, pass: password },
      settings: { host: '127.0.0.1', port: 2525, secure: false }, sender: { name: 'A', email: 'a@a.test' },
    }),
  })
  t.equal(created.status, 201)
  t.notMatch(JSON.stringify(created.body), password, 'the API does not give the password back')
  const endpoint = await call(`${base}/v1/webhook-endpoints`, key, { method: 'POST', body: JSON.stringify({ url: 'http://127.0.0.1:9/hooks', enabled_events: ['*'] }) })
  const whsec = endpoint.body.secret as string
  t.match(whsec, /^whsec_/)

  // As the superuser, outside row-level security: every column of every row, as text.
  const url = new URL(process.env.RELANCE_TEST_ADMIN_URL!)
  url.pathname = new URL(ctx.url).pathname
  const admin = new pg.Client({ connectionString: url.toString() })
  await admin.connect()
  t.teardown(() => admin.end())
  const dump = async (table: string) => (await admin.query<{ row: string }>(`select row_to_json(t)::text as row from ${table} t`)).rows.map((r) => r.row)
  const connections = await dump('channel_connections')
  t.equal(connections.length, 1)
  t.match(connections[0], tenantId, 'the row is the one created')
  t.notMatch(connections[0], password, 'no provider password in channel_connections')
  t.notMatch(connections[0], user, 'nor the user name: the credentials are sealed as a whole')
  const endpoints = await dump('webhook_endpoints')
  t.equal(endpoints.length, 1)
  t.notMatch(endpoints[0], whsec.slice('whsec_'.length), 'no webhook secret in webhook_endpoints')
  const keys = [...(await dump('api_keys')), ...(await dump('platform_keys'))].join('\n')
  for (const secret of [key, ctx.platformKey]) t.notMatch(keys, secret.slice(-24), 'API keys are stored as hashes only')
})
