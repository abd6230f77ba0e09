import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { from as copyFrom } from 'pg-copy-streams'
import { request } from 'undici'
import { say, withBench, type Bench } from './harness.js'
import { copyRows, debtorJson, invoiceJson, ndjson } from './ingest-data.js'

interface ImportView {
  id: string
  status: string
  lines_done: number
  created: number
  rejected: number
  errors: unknown[]
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`)
  const value = i === -1 ? fallback : Number(args[i + 1])
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`)
  return value
}

async function startUpload(bench: Bench, kind: 'debtors' | 'invoices', body: AsyncIterable<Buffer>): Promise<ImportView> {
  const res = await request(`${bench.url}/v1/${kind}/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bench.key}`, 'content-type': 'application/x-ndjson', prefer: 'respond-async' },
    body: Readable.from(body),
  })
  const text = await res.body.text()
  if (res.statusCode !== 202) throw new Error(`${kind} upload: ${res.statusCode} ${text}`)
  return JSON.parse(text) as ImportView
}

async function getImport(bench: Bench, id: string): Promise<ImportView> {
  const res = await request(`${bench.url}/v1/imports/${id}`, { headers: { authorization: `Bearer ${bench.key}` } })
  return (await res.body.json()) as ImportView
}

/** Uploads the streams at once, then follows the imports until all have ended; returns seconds. */
async function ingest(bench: Bench, kind: 'debtors' | 'invoices', streams: AsyncIterable<Buffer>[], total: number): Promise<number> {
  const started = performance.now()
  const ids = (await Promise.all(streams.map((s) => startUpload(bench, kind, s)))).map((i) => i.id)
  say(`${kind}: ${streams.length} upload(s) received in ${((performance.now() - started) / 1000).toFixed(1)} s, processing`)
  let lastSay = performance.now()
  for (;;) {
    const views = await Promise.all(ids.map((id) => getImport(bench, id)))
    const done = views.reduce((sum, v) => sum + v.lines_done, 0)
    const failed = views.find((v) => v.status === 'failed')
    if (failed) throw new Error(`import failed: ${JSON.stringify(failed.errors)}`)
    const seconds = (performance.now() - started) / 1000
    if (views.every((v) => v.status === 'succeeded')) {
      const created = views.reduce((sum, v) => sum + v.created, 0)
      if (created !== total) throw new Error(`${kind}: ${created} created, expected ${total}`)
      say(`${kind}: ${total} created in ${seconds.toFixed(1)} s (${Math.round(total / seconds)}/s)`)
      return seconds
    }
    if (performance.now() - lastSay > 5_000) {
      say(`${kind}: ${done}/${total} after ${seconds.toFixed(0)} s (${Math.round(done / seconds)}/s)`)
      lastSay = performance.now()
    }
    await sleep(200)
  }
}

async function copyBaseline(bench: Bench, invoices: number, debtors: number): Promise<number> {
  const { rows } = await bench.admin.query<{ external_ref: string; debtor_id: string }>(
    'select external_ref, debtor_id from debtors where tenant_id = $1',
    [bench.tenantId],
  )
  const debtorIds = new Map(rows.map((r) => [r.external_ref, r.debtor_id]))
  await bench.admin.query('truncate invoices cascade')
  await bench.admin.query('checkpoint')
  const started = performance.now()
  // Superuser: COPY FROM does not run under row-level security, which FORCE applies to the owner.
  const copy = bench.admin.query(
    copyFrom(`copy invoices (tenant_id, invoice_id, debtor_id, number, currency, amount_total, amount_tax, amount_net,
      issue_date, due_date, status, next_action_at, external_ref, metadata) from stdin`),
  )
  await pipeline(Readable.from(copyRows(bench.tenantId, invoices, debtors, debtorIds)), copy)
  const seconds = (performance.now() - started) / 1000
  const { rows: count } = await bench.admin.query<{ n: number }>('select count(*)::int as n from invoices')
  if (count[0]!.n !== invoices) throw new Error(`COPY stored ${count[0]!.n} rows`)
  say(`COPY baseline: ${invoices} rows in ${seconds.toFixed(1)} s (${Math.round(invoices / seconds)}/s)`)
  return seconds
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const scale = option(args, 'scale', 1)
  const streams = option(args, 'streams', 4)
  const invoices = Math.round(1_000_000 * scale)
  const debtors = Math.round(100_000 * scale)
  return withBench(async (bench) => {
    const idle = await bench.stats()
    say(`server idle RSS ${idle.peakRssMb} MB`)
    const debtorSeconds = await ingest(bench, 'debtors', [ndjson(0, debtors, debtorJson)], debtors)
    const per = Math.ceil(invoices / streams)
    const parts = Array.from({ length: streams }, (_, s) => ndjson(s * per, Math.min(invoices, (s + 1) * per), (i) => invoiceJson(i, debtors)))
    const ourSeconds = await ingest(bench, 'invoices', parts, invoices)
    const { rows: events } = await bench.admin.query<{ n: number }>(`select count(*)::int as n from events where type = 'invoice.created'`)
    if (events[0]!.n !== invoices) throw new Error(`${events[0]!.n} invoice.created events, expected ${invoices}`)
    const stats = await bench.stats()
    say(`server peak RSS ${stats.peakRssMb} MB (maxRSS ${stats.maxRssMb} MB)`)
    const copySeconds = await copyBaseline(bench, invoices, debtors)
    const ours = invoices / ourSeconds
    const copy = invoices / copySeconds
    const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`)
    return {
      bench: 'ingest',
      metric: `${label(invoices)} invoices for ${label(debtors)} debtors as NDJSON over HTTP (${streams} concurrent streams, import jobs), validated, upserted, 1 outbox event each; from first byte to every import succeeded`,
      unit: 'invoices/s',
      value: Math.round(ours),
      baseline: 'COPY FROM STDIN (pg-copy-streams) of the same rows into the same truncated invoices table',
      baseline_value: Math.round(copy),
      ratio: Math.round((ours / copy) * 100) / 100,
      peak_rss_mb: stats.peakRssMb,
      idle_rss_mb: idle.peakRssMb,
      debtors_per_s: Math.round(debtors / debtorSeconds),
      scale,
    }
  })
}
