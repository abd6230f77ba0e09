/**
 * A receiver that flaps while a burst of events goes out: by seeded turns it is up, answers 500
 * or 502, drops the connection, never answers, is not listening at all, or stores the event and
 * then drops the connection or never answers (so Relance cannot know it was received). Then it
 * stays up. Every event must have reached it, duplicates only under the same `webhook-id` and with
 * the same bytes (so the receiver dedups them), every delivery signed right (checked with the
 * standardwebhooks package), and no delivery given up.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import t from 'tap'
import { seededRandom } from '../../src/sandbox/seeded-random.js'
import { systemQuery } from '../helper.js'
import { createEndpoint, webhookWorld } from '../webhooks/webhook-fixtures.js'

const EVENTS_PER_BURST = 40
const BURSTS = 6
const FLAPPING_MS = 5_000
const MODES = ['up', 'error', 'reset', 'hang', 'refused', 'stored-then-reset', 'stored-then-hang'] as const
type Mode = (typeof MODES)[number]

/** The receiver: dedups on webhook-id, as docs/webhooks.md asks of an integrator. */
async function startFlappingReceiver(seed: number) {
  const random = seededRandom(seed)
  const stored = new Map<string, { count: number; bodies: Set<string> }>()
  const seen: Record<Mode, number> = Object.fromEntries(MODES.map((m) => [m, 0])) as Record<Mode, number>
  const badSignatures: string[] = []
  let secret = ''
  let mode: Mode = 'up'
  let flapping = true

  const verified = (req: IncomingMessage, body: string): boolean => {
    const id = String(req.headers['webhook-id'])
    const timestamp = Number(req.headers['webhook-timestamp'])
    // The pump runs ahead of the wall clock to walk the retry schedule, so `verify` would refuse
    // the timestamp as too far away: sign with the library and compare instead.
    const expected = new Webhook(secret).sign(id, new Date(timestamp * 1000), body)
    return String(req.headers['webhook-signature']).split(' ').includes(expected)
  }
  const store = (req: IncomingMessage, body: string) => {
    if (!verified(req, body)) return badSignatures.push(String(req.headers['webhook-id']))
    const id = String(req.headers['webhook-id'])
    const entry = stored.get(id) ?? { count: 0, bodies: new Set<string>() }
    entry.count++
    entry.bodies.add(body)
    stored.set(id, entry)
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const now: Mode = flapping ? mode : 'up'
      seen[now]++
      if (now === 'error') return res.writeHead(random() < 0.5 ? 500 : 502).end('flapping')
      if (now === 'reset') return req.socket.destroy()
      if (now === 'hang') return
      store(req, body)
      if (now === 'stored-then-reset') return req.socket.destroy()
      if (now === 'stored-then-hang') return
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  let listening = true
  const setListening = async (on: boolean) => {
    if (on === listening) return
    listening = on
    if (on) await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    else {
      server.close()
      server.closeAllConnections()
    }
  }
  // Seeded turns of 60–300 ms each until the flapping ends; 'refused' closes the port.
  const flap = (async () => {
    const ends = Date.now() + FLAPPING_MS
    while (Date.now() < ends) {
      mode = random() < 0.35 ? 'up' : MODES[1 + Math.floor(random() * (MODES.length - 1))]!
      await setListening(mode !== 'refused')
      await new Promise((resolve) => setTimeout(resolve, 60 + random() * 240))
    }
    flapping = false
    await setListening(true)
  })()
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    stored,
    seen,
    badSignatures,
    flap,
    setSecret: (s: string) => (secret = s),
    close: async () => {
      await flap
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

t.setTimeout(Number(process.env.CHAOS_TIMEOUT_MS ?? 180_000))

t.test('a receiver flapping during a burst: every event delivered, duplicates under one webhook-id, all signed right', async (t) => {
  const world = await webhookWorld(t)
  const receiver = await startFlappingReceiver(Number(process.env.CHAOS_SEED ?? 11))
  t.teardown(() => receiver.close())
  const endpoint = await createEndpoint(world, receiver.url, ['debtor.created'])
  receiver.setSecret(endpoint.secret)
  const started = Date.now()

  // The burst: bulk imports while the pump runs, as a worker would.
  const burst = (async () => {
    for (let b = 0; b < BURSTS; b++) {
      const lines = Array.from({ length: EVENTS_PER_BURST }, (_, i) => JSON.stringify({ kind: 'business', name: `Client ${b}-${i}`, country: 'FR', external_ref: `B${b}-${i}` }))
      const res = await world.ctx.inject({ method: 'POST', url: '/v1/debtors/bulk', headers: { authorization: `Bearer ${world.key}`, 'content-type': 'application/x-ndjson' }, payload: `${lines.join('\n')}\n` })
      if (res.statusCode !== 200) throw new Error(res.body)
      await new Promise((resolve) => setTimeout(resolve, 400))
    }
  })()
  let burstDone = false
  void burst.then(() => (burstDone = true))

  // The pump as the worker runs it, except that when nothing is due it jumps its clock to the next
  // retry instead of waiting minutes or hours for it (the retry schedule is real).
  let offset = 0
  let passes = 0
  for (;;) {
    passes++
    const run = await world.pump(new Date(Date.now() + offset), { timeoutMs: 400, perEndpointConcurrency: 8, random: Math.random })
    const [left] = await systemQuery<{ pending: number; next: Date | null }>(
      world.ctx.database,
      `select count(*)::int as pending, min(next_attempt_at) as next from webhook_deliveries where status = 'pending'`,
    )
    if (burstDone && !left!.pending && !(await systemQuery(world.ctx.database, 'select 1 from webhook_event_queue')).length) break
    if (!run.attempted && left!.next) offset = Math.max(offset, new Date(left!.next).getTime() - Date.now() + 1)
    else if (!run.attempted) await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await burst

  const events = await systemQuery<{ event_id: string }>(world.ctx.database, `select event_id from events where type = 'debtor.created'`)
  const deliveries = await systemQuery<{ status: string; n: number }>(world.ctx.database, 'select status, count(*)::int as n from webhook_deliveries group by status')
  const [attempts] = await systemQuery<{ n: number; failed: number; timeouts: number; resets: number; refused: number; http5xx: number }>(
    world.ctx.database,
    `select count(*)::int as n, count(*) filter (where not succeeded)::int as failed,
       count(*) filter (where error like 'timed out%')::int as timeouts,
       count(*) filter (where error ~* 'reset|closed|socket')::int as resets,
       count(*) filter (where error like 'ECONNREFUSED%')::int as refused,
       count(*) filter (where status_code >= 500)::int as http5xx
     from webhook_attempts`,
  )
  const duplicated = [...receiver.stored].filter(([, e]) => e.count > 1)
  t.comment(`${events.length} events, ${attempts!.n} attempts (${attempts!.failed} failed: ${attempts!.http5xx} 5xx, ${attempts!.timeouts} timeouts, ${attempts!.resets} resets, ${attempts!.refused} refused) in ${passes} passes; ` +
    `receiver turns ${JSON.stringify(receiver.seen)}; ${duplicated.length} events stored twice or more; ${((Date.now() - started) / 1000).toFixed(1)} s; sim clock ${Math.round(offset / 3_600_000)} h ahead`)

  t.equal(events.length, EVENTS_PER_BURST * BURSTS, 'the burst made its events')
  t.same(deliveries, [{ status: 'succeeded', n: events.length }], 'every delivery succeeded in the end, none given up')
  t.same([...receiver.stored.keys()].sort(), events.map((e) => e.event_id).sort(), 'the receiver has every event')
  t.same(receiver.badSignatures, [], 'every delivery verified (standardwebhooks)')
  t.ok(duplicated.every(([, e]) => e.bodies.size === 1), 'a duplicate carries the same webhook-id and the same bytes: deduplicable')
  t.ok(duplicated.length > 0, 'some events were received twice (stored, then the answer was lost): the receiver deduplicated them')
  for (const kind of ['http5xx', 'timeouts', 'resets', 'refused'] as const) t.ok(attempts![kind] > 0, `the pump met ${kind}`)
  t.ok((await world.api('GET', `/v1/webhook-endpoints/${endpoint.id}`)).json().enabled, 'the endpoint stayed enabled')
})
