import autocannon from 'autocannon'
import { request } from 'undici'
import { say, withBench, type Bench } from './harness.js'
import { openLoop, type Measured } from './open-loop.js'
import { debtorJson, invoiceJson } from './ingest-data.js'

interface Load {
  url: string
  path: (id: string) => string
  headers: Record<string, string>
  ids: string[]
  connections: number
  seconds: number
}

/** Unthrottled throughput: autocannon, closed loop. */
async function load(l: Load): Promise<Measured> {
  const pick = () => l.ids[Math.floor(Math.random() * l.ids.length)]!
  const result = await autocannon({
    url: l.url,
    connections: l.connections,
    duration: l.seconds,
    headers: l.headers,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: l.path(pick()) }) }],
  })
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    failures: result.errors + result.timeouts + result.non2xx,
  }
}

async function seed(bench: Bench, kind: 'debtors' | 'invoices', lines: string[]) {
  const res = await request(`${bench.url}/v1/${kind}/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bench.key}`, 'content-type': 'application/x-ndjson' },
    body: `${lines.join('\n')}\n`,
  })
  const body = (await res.body.json()) as { created: number }
  if (res.statusCode !== 200 || body.created !== lines.length) throw new Error(`seeding ${kind}: ${res.statusCode} ${JSON.stringify(body)}`)
}

const show = (label: string, m: Measured) =>
  say(`${label}: ${m.rps} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, max ${m.max} ms, ${m.failures} failed`)

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const arg = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback)
  const rate = arg('rate', 2000)
  const seconds = arg('seconds', 15)
  return withBench(async (bench) => {
    await seed(bench, 'debtors', Array.from({ length: 1_000 }, (_, i) => debtorJson(i)))
    await seed(bench, 'invoices', Array.from({ length: 10_000 }, (_, i) => invoiceJson(i, 1_000)))
    const { rows } = await bench.admin.query<{ invoice_id: string }>('select invoice_id from invoices where tenant_id = $1', [bench.tenantId])
    const ids = rows.map((r) => r.invoice_id)
    // Fresh tables have no statistics until autovacuum's next pass; a live database has them.
    await bench.admin.query('analyze')
    say(`seeded ${ids.length} invoices`)
    const ours = { url: bench.url, path: (id: string) => `/v1/invoices/${id}`, headers: { authorization: `Bearer ${bench.key}` }, ids }
    const bare = { url: bench.bareUrl, path: (id: string) => `/invoices/${id}`, headers: { 'x-tenant': bench.tenantId }, ids }
    // Warm-up: JIT, connection pools, PostgreSQL's caches.
    await load({ ...ours, connections: 10, seconds: 3 })
    await load({ ...bare, connections: 10, seconds: 3 })
    const pick = () => ids[Math.floor(Math.random() * ids.length)]!
    const oursAtRate = await openLoop({ origin: bench.url, path: () => ours.path(pick()), headers: ours.headers, rate, seconds })
    show(`relance at ${rate} req/s`, oursAtRate)
    const bareAtRate = await openLoop({ origin: bench.bareUrl, path: () => bare.path(pick()), headers: bare.headers, rate, seconds })
    show(`bare at ${rate} req/s`, bareAtRate)
    // CPU per request (server process + PostgreSQL) depends little on what else loads the machine.
    const cpuPerRequest = async (l: Load) => {
      const before = await bench.cpuSeconds()
      const measured = await load(l)
      const after = await bench.cpuSeconds()
      const total = (measured.rps * l.seconds) || 1
      const perRequest = (s: number) => Math.round((s * 1e6) / total)
      return { measured, serverUs: perRequest(after.server - before.server), postgresUs: perRequest(after.postgres - before.postgres) }
    }
    const oursRun = await cpuPerRequest({ ...ours, connections: 10, seconds: 5 })
    const oursMax = oursRun.measured
    show('relance unthrottled', oursMax)
    say(`relance CPU per request: server ${oursRun.serverUs} µs, PostgreSQL ${oursRun.postgresUs} µs`)
    const bareRun = await cpuPerRequest({ ...bare, connections: 10, seconds: 5 })
    const bareMax = bareRun.measured
    show('bare unthrottled', bareMax)
    say(`bare CPU per request: server ${bareRun.serverUs} µs, PostgreSQL ${bareRun.postgresUs} µs`)
    return {
      bench: 'read',
      metric: `GET /v1/invoices/{id}, random ids of 10k seeded invoices: p99 at a fixed ${rate} req/s for ${seconds} s (open loop, uniform arrivals, latency from the scheduled send, load generator in another process); ratio = our req/s / bare req/s, both unthrottled (autocannon, 10 connections, 5 s)`,
      unit: 'ms',
      value: oursAtRate.p99,
      baseline: 'bare Fastify route in the server process: the same SQL in a transaction with the same set_config, no auth, schemas or hooks',
      baseline_value: bareAtRate.p99,
      ratio: Math.round((oursMax.rps / bareMax.rps) * 100) / 100,
      achieved_rps: oursAtRate.rps,
      p50_ms: oursAtRate.p50,
      failed: oursAtRate.failures,
      ours_max_rps: oursMax.rps,
      ours_max_p99_ms: oursMax.p99,
      bare_max_rps: bareMax.rps,
      bare_max_p99_ms: bareMax.p99,
      ours_cpu_us_per_req: { server: oursRun.serverUs, postgres: oursRun.postgresUs },
      bare_cpu_us_per_req: { server: bareRun.serverUs, postgres: bareRun.postgresUs },
    }
  })
}
