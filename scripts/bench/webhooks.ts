import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { PostgresBackend } from '@agendajs/postgres-backend'
import { Agenda } from 'agenda'
import pg from 'pg'
import { withSystem, openDatabase, type Database } from '../../src/db/client.js'
import { createAddressPolicy } from '../../src/modules/webhooks/address-policy.js'
import { createGuardedAgent } from '../../src/modules/webhooks/guarded-agent.js'
import { fanOutQueuedEvents } from '../../src/modules/webhooks/pump.repository.js'
import { runWebhookPump, type PumpOptions } from '../../src/modules/webhooks/pump.js'
import { ensureSigningKey } from '../../src/modules/webhooks/signing-keys.js'
import { newId } from '../../src/shared/ids.js'
import { seal } from '../../src/shared/secret-box.js'
import { say, withBench, type Bench } from './harness.js'
import type { SinkMessage } from './webhook-sink.js'

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`)
  const value = i === -1 ? fallback : Number(args[i + 1])
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`)
  return value
}

interface Sink {
  url: string
  setUp(up: boolean): void
  count(): Promise<{ requests: number; delivered: number; unique: number }>
  stop(): void
}

async function startSink(): Promise<Sink> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./webhook-sink.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const next = <T extends SinkMessage['type']>(type: T) =>
    new Promise<Extract<SinkMessage, { type: T }>>((resolve) => {
      const on = (m: SinkMessage) => {
        if (m.type !== type) return
        child.off('message', on)
        resolve(m as Extract<SinkMessage, { type: T }>)
      }
      child.on('message', on)
    })
  const ready = await next('ready')
  return {
    url: `http://127.0.0.1:${ready.port}/hooks`,
    setUp: (up) => child.send({ type: 'mode', up }),
    count: async () => {
      const answer = next('counted')
      child.send({ type: 'count' })
      return answer
    },
    stop: () => child.disconnect(),
  }
}

/** Events as the modules write them (an invoice object of ~700 bytes), in chunks; the trigger queues them. */
async function insertEvents(bench: Bench, count: number): Promise<void> {
  for (let done = 0; done < count; done += 5000) {
    const rows = Array.from({ length: Math.min(5000, count - done) }, (_, i) => {
      const invoiceId = newId('invoice')
      const object = { object: 'invoice', id: invoiceId, number: `F-${done + i}`, debtor_id: 'dbt_bench', currency: 'EUR', amount_total: 120_00, amount_due: 120_00, status: 'open', issue_date: '2026-01-01', due_date: '2026-01-31', external_ref: `erp-${done + i}`, metadata: { source: 'bench' } }
      return { id: newId('event'), object_id: invoiceId, data: { object } }
    })
    await bench.admin.query(
      `insert into events (tenant_id, event_id, type, object_id, data)
       select $1, r.id, 'invoice.created', r.object_id, r.data from jsonb_to_recordset($2::jsonb) as r(id text, object_id text, data jsonb)`,
      [bench.tenantId, JSON.stringify(rows)],
    )
  }
}

/** `workers` pump loops at once, as two worker processes would (SKIP LOCKED splits the batches). */
async function waitDelivered(sink: Sink, target: number, workers: number, pumpOnce: () => Promise<unknown>): Promise<void> {
  let done = false
  const loop = async () => {
    while (!done) {
      await pumpOnce()
      if ((await sink.count()).delivered >= target) done = true
    }
  }
  await Promise.all(Array.from({ length: workers }, loop))
}

/** The reference: the same claim-sign-send-record for one delivery, as one Agenda job each. */
async function agendaBaseline(bench: Bench, database: Database, sink: Sink, sample: number, options: PumpOptions): Promise<number> {
  await insertEvents(bench, sample)
  await withSystem(database.db, (tx) => fanOutQueuedEvents(tx, new Date(), sample))
  const pool = new pg.Pool({ connectionString: bench.appUrl, max: 4 })
  const agenda = new Agenda({ backend: new PostgresBackend({ pool }), processEvery: '100 milliseconds', defaultConcurrency: 32, maxConcurrency: 32 })
  agenda.define('webhook.deliver', async () => {
    await runWebhookPump(database.db, new Date(), { ...options, batchSize: 1, maxRounds: 1 })
  })
  const before = (await sink.count()).delivered
  for (let i = 0; i < sample; i++) await agenda.now('webhook.deliver', { n: i })
  const started = performance.now()
  await agenda.start()
  while ((await sink.count()).delivered < before + sample) await new Promise((r) => setTimeout(r, 50))
  const seconds = (performance.now() - started) / 1000
  await agenda.stop()
  await pool.end()
  say(`baseline: ${sample} Agenda jobs, one delivery each, in ${seconds.toFixed(1)} s (${Math.round(sample / seconds)}/s)`)
  return sample / seconds
}

/** Sink down for 10 minutes of the pump's clock (driven forward, not waited), events arriving all along. */
async function outage(bench: Bench, database: Database, sink: Sink, events: number, options: PumpOptions) {
  const before = await sink.count()
  const t0 = Date.now()
  sink.setUp(false)
  let attempts = 0
  for (let minute = 0; minute < 10; minute += 0.5) {
    await insertEvents(bench, events / 20)
    attempts += (await runWebhookPump(database.db, new Date(t0 + minute * 60_000), options)).attempted
  }
  sink.setUp(true)
  let clock = t0 + 10 * 60_000
  while ((await sink.count()).delivered - before.delivered < events && clock < t0 + 4 * 86_400_000) {
    attempts += (await runWebhookPump(database.db, new Date(clock), options)).attempted
    clock += 60_000
  }
  const after = await sink.count()
  const { rows } = await bench.admin.query<{ status: string; n: number }>(`select status, count(*)::int as n from webhook_deliveries group by status`)
  const lost = events - (after.unique - before.unique)
  say(`outage: ${events} events while the sink answered 503 for 10 min of pump clock; back after ${((clock - t0) / 60_000).toFixed(0)} min of pump clock, ${attempts} attempts, ${after.unique - before.unique} distinct webhook-ids received, ${lost} lost; deliveries ${JSON.stringify(rows)}`)
  return { events, lost, attempts, minutes_to_all_delivered: Math.round((clock - t0) / 60_000), compressed: 'pump clock driven forward, not waited' }
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const scale = option(args, 'scale', 1)
  const total = Math.round(30_000 * scale)
  const sample = Math.round(600 * scale)
  const loops = option(args, 'loops', 2)
  const secretKeyHex = randomBytes(32).toString('hex')
  process.env.RELANCE_SECRET_KEY = secretKeyHex // the server child seals with the same key
  const secretKey = Buffer.from(secretKeyHex, 'hex')
  const sink = await startSink()
  try {
    return await withBench(async (bench) => {
      const database = openDatabase(bench.appUrl, 8)
      const dispatcher = createGuardedAgent({ policy: createAddressPolicy('127.0.0.1/32'), timeoutMs: 15_000, connections: 64 })
      const options: PumpOptions = { secretKey, dispatcher, batchSize: 1000, perEndpointConcurrency: 64, maxRounds: 1 }
      await bench.admin.query(
        `insert into webhook_endpoints (tenant_id, endpoint_id, url, enabled_events, secret_sealed) values ($1, $2, $3, '{*}', $4)`,
        [bench.tenantId, newId('webhookEndpoint'), sink.url, seal(secretKey, 'whsec_' + randomBytes(32).toString('base64'))],
      )
      await ensureSigningKey(database.db, secretKey, new Date())
      await insertEvents(bench, total)
      say(`${total} invoice.created events written; pumping`)
      const started = performance.now()
      await waitDelivered(sink, total, loops, () => runWebhookPump(database.db, new Date(), options))
      const seconds = (performance.now() - started) / 1000
      const ours = total / seconds
      say(`ours: ${total} signed deliveries in ${seconds.toFixed(1)} s (${Math.round(ours)}/s), fan-out and delivery log included`)
      const baseline = await agendaBaseline(bench, database, sink, sample, options)
      const down = await outage(bench, database, sink, Math.round(2000 * scale), { ...options, maxRounds: 5 })
      await dispatcher.close()
      await database.close()
      return {
        bench: 'webhooks',
        metric: `${total / 1000}k signed deliveries (HMAC v1 + Ed25519 detached JWS) to a local HTTP sink, one endpoint, ${loops} pump loops in one process (as ${loops} workers), from queued events to every delivery acknowledged and logged`,
        unit: 'deliveries/s',
        value: Math.round(ours),
        baseline: `one Agenda job per delivery (same claim-sign-send-record path), ${sample}-delivery sample, rate extrapolated`,
        baseline_value: Math.round(baseline),
        ratio: Math.round((ours / baseline) * 10) / 10,
        outage: down,
        scale,
        loops,
      }
    })
  } finally {
    sink.stop()
  }
}
