import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAddressPolicy } from '../../src/modules/webhooks/address-policy.js'
import { createGuardedAgent, type ResolveAll } from '../../src/modules/webhooks/guarded-agent.js'
import { runWebhookPump, type PumpOptions } from '../../src/modules/webhooks/pump.js'
import { resolveSecretKey } from '../../src/shared/secret-box.js'
import { bearer, buildTestApp, createTenant, type TestApp } from '../helper.js'

export const LOOPBACK_ALLOWED = { RELANCE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' }

interface TapLike {
  teardown(fn: () => unknown): void
}

export interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A receiver on 127.0.0.1 that keeps what it got; `answer` decides each response. */
export async function startSink(t: TapLike, answer: (req: Received, n: number) => { status: number; body?: string } = () => ({ status: 200, body: 'ok' })) {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const got = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      received.push(got)
      const { status, body } = sink.answer(got, received.length)
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  const sink = { received, answer, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` }
  return sink
}

export interface WebhookWorld {
  ctx: TestApp
  tenantId: string
  key: string
  api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): ReturnType<TestApp['inject']>
  /** One pump pass as of `now` (default: the wall clock), jitter pinned to the middle. */
  pump(now?: Date, extra?: Partial<PumpOptions> & { allowedCidrs?: string; resolve?: ResolveAll }): ReturnType<typeof runWebhookPump>
}

export async function webhookWorld(t: TapLike, env: Record<string, string> = LOOPBACK_ALLOWED): Promise<WebhookWorld> {
  const ctx = await buildTestApp(t, env)
  const { tenantId, key } = await createTenant(ctx)
  const agents: Array<{ close(): Promise<void> }> = []
  t.teardown(() => Promise.all(agents.map((a) => a.close())))
  return {
    ctx,
    tenantId,
    key,
    api: (method, url, payload) => ctx.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) }),
    pump: (now = new Date(), extra = {}) => {
      const { allowedCidrs, resolve, ...options } = extra
      const dispatcher = createGuardedAgent({
        policy: createAddressPolicy(allowedCidrs ?? env.RELANCE_WEBHOOK_ALLOWED_CIDRS),
        resolve,
        timeoutMs: 5_000,
      })
      agents.push(dispatcher)
      return runWebhookPump(ctx.database.db, now, { secretKey: resolveSecretKey(ctx.env), dispatcher, random: () => 0.5, ...options })
    },
  }
}

/** Something that writes an event through the outbox: a debtor created over the API. */
export async function createDebtor(world: WebhookWorld, name = 'Dupont SARL'): Promise<string> {
  const res = await world.api('POST', '/v1/debtors', { kind: 'business', name, country: 'FR' })
  if (res.statusCode !== 201) throw new Error(`debtor: ${JSON.stringify(res.json())}`)
  return res.json().id as string
}

export async function createEndpoint(world: WebhookWorld, url: string, events: string[] = ['*']) {
  const res = await world.api('POST', '/v1/webhook-endpoints', { url, enabled_events: events })
  if (res.statusCode !== 201) throw new Error(`endpoint: ${JSON.stringify(res.json())}`)
  return res.json() as { id: string; secret: string }
}

export const headerOf = (r: Received, name: string) => String(r.headers[name])
