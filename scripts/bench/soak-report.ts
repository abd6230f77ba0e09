/**
 * What the soak prints: one row per minute, and the flatness verdict over the minutes after the
 * warm-up — the least-squares slope of the RSS floor (and heap floor) in MB per 10 minutes, and the
 * reads' p99 over the last minutes against the first ones.
 */
import type { Window } from './soak-load.js'

export interface MinuteRow {
  minute: number
  /** Lowest and highest of the minute's samples (every 5 s): the floor after garbage collection, the peak. */
  rssMinMb: number
  rssMaxMb: number
  heapMinMb: number
  /** The longest the event loop was blocked during the minute. */
  loopLagMaxMs: number
  /** The machine's 1-minute load average: the soak shares it with whatever else runs. */
  loadAverage: number
  reads: number
  p50: number
  p99: number
  /** Every read answer kept, for the p99 of several minutes together. */
  latencies: number[]
  readErrors: number
  read5xx: number
  readDropped: number
  writeLines: number
  writeErrors: number
  writeMaxMs: number
  ticks: number
  tickErrors: number
  tickMaxMs: number
  /** 5xx answers the server counted (all routes, provider callbacks included) during the minute. */
  server5xx: number
  webhooksVerified: number
  webhooksRejected: number
  webhookBacklog: number
  dispatchBacklog: number
  dispatches: number
  failures: string[]
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0
}
const round1 = (n: number) => Math.round(n * 10) / 10

export function windowStats(w: Window) {
  return { reads: w.readLatencies.length, p50: round1(percentile(w.readLatencies, 50)), p99: round1(percentile(w.readLatencies, 99)) }
}

export function errorsOf(row: MinuteRow): number {
  return row.readErrors + row.readDropped + row.writeErrors + row.tickErrors + row.server5xx + row.webhooksRejected
}

const COLUMNS: [string, (r: MinuteRow) => string | number][] = [
  ['min', (r) => r.minute],
  ['rss min', (r) => r.rssMinMb],
  ['rss max', (r) => r.rssMaxMb],
  ['heap min', (r) => r.heapMinMb],
  ['lag max', (r) => r.loopLagMaxMs],
  ['load', (r) => r.loadAverage],
  ['reads', (r) => r.reads],
  ['p50 ms', (r) => r.p50],
  ['p99 ms', (r) => r.p99],
  ['lines', (r) => r.writeLines],
  ['write max', (r) => Math.round(r.writeMaxMs)],
  ['ticks', (r) => r.ticks],
  ['tick max', (r) => Math.round(r.tickMaxMs)],
  ['dispatches', (r) => r.dispatches],
  ['webhooks', (r) => r.webhooksVerified],
  ['wh backlog', (r) => r.webhookBacklog],
  ['dsp backlog', (r) => r.dispatchBacklog],
  ['errors', (r) => errorsOf(r)],
]

export function tableHeader(): string {
  return COLUMNS.map(([name]) => name.padStart(Math.max(name.length, 6))).join(' ')
}

export function tableRow(row: MinuteRow): string {
  return COLUMNS.map(([name, value]) => String(value(row)).padStart(Math.max(name.length, 6))).join(' ')
}

/** Least-squares slope of `ys` against minutes, per 10 minutes. */
function slopePer10(points: { x: number; y: number }[]): number {
  const n = points.length
  if (n < 2) return 0
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0)
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0)
  return round1((sxy / sxx) * 10)
}

/** Flat: RSS grows by at most this much per 10 minutes… */
export const RSS_SLOPE_LIMIT_MB = 10
/** …and the last minutes' p99 is at most 1.5 times the first minutes' plus 5 ms (noise on small figures). */
export const P99_GROWTH_LIMIT = 1.5
export const P99_SLACK_MS = 5

export function verdict(rows: MinuteRow[], minutes: number) {
  const warmup = Math.max(1, Math.round(minutes / 10))
  const afterWarmup = rows.filter((r) => r.minute > warmup)
  // A run too short to leave two minutes after the warm-up is judged on every minute it has.
  const steady = afterWarmup.length >= 2 ? afterWarmup : rows
  const span = Math.max(1, Math.min(5, Math.floor(steady.length / 2)))
  const first = steady.slice(0, span)
  const last = steady.slice(-span)
  const p99First = round1(percentile(first.flatMap((r) => r.latencies), 99))
  const p99Last = round1(percentile(last.flatMap((r) => r.latencies), 99))
  // The floors: a single sample lands anywhere in a GC cycle (±40 MB), the floor moves only if memory is kept.
  const rssSlope = slopePer10(steady.map((r) => ({ x: r.minute, y: r.rssMinMb })))
  const heapSlope = slopePer10(steady.map((r) => ({ x: r.minute, y: r.heapMinMb })))
  const flat = rssSlope <= RSS_SLOPE_LIMIT_MB && p99Last <= p99First * P99_GROWTH_LIMIT + P99_SLACK_MS
  return {
    warmupMinutes: warmup,
    windowMinutes: span,
    p99First,
    p99Last,
    rssSlope,
    heapSlope,
    rssFirst: steady[0]?.rssMinMb ?? 0,
    rssLast: steady.at(-1)?.rssMinMb ?? 0,
    rssMax: Math.max(0, ...rows.map((r) => r.rssMaxMb)),
    flat,
    // Below 10 minutes the slope is mostly warm-up: the verdict is printed, not enforced.
    enforced: minutes >= 10,
  }
}
