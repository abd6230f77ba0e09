/**
 * The soak's three loads, each recording into the current one-minute window:
 * reads at a fixed open-loop rate (latency from the scheduled send, as open-loop.ts), bulk writes
 * (NDJSON invoices, then payments for half of them) every few seconds, and engine ticks (the test
 * clock moved one business day, the simulators with it) every few seconds.
 */
import { Pool } from 'undici'
import type { SoakTenant } from './soak-tenant.js'

export interface Window {
  readLatencies: number[]
  readsByKind: Record<string, number[]>
  readErrors: number
  read5xx: number
  /** Reads not sent because too many were still waiting for an answer (the server fell behind). */
  readDropped: number
  writes: number
  writtenLines: number
  writeErrors: number
  writeMaxMs: number
  ticks: number
  tickErrors: number
  tickMaxMs: number
  /** The first few failures of the window, to say what went wrong. */
  failures: string[]
}

const emptyWindow = (): Window => ({
  readLatencies: [],
  readsByKind: {}, readErrors: 0, read5xx: 0, readDropped: 0, writes: 0, writtenLines: 0, writeErrors: 0, writeMaxMs: 0, ticks: 0, tickErrors: 0, tickMaxMs: 0, failures: [],
})

export class Recorder {
  current = emptyWindow()
  rotate(): Window {
    const done = this.current
    this.current = emptyWindow()
    return done
  }
  fail(what: string) {
    if (this.current.failures.length < 5) this.current.failures.push(what.slice(0, 300))
  }
}

export interface ReadRequest {
  /** What the per-kind latencies are reported under. */
  kind: string
  method: 'GET' | 'POST'
  path: string
  body?: string
}

const MAX_IN_FLIGHT = 500

/** Reads at `rate` per second until stopped; `next` says what to read. */
export function startReads(options: { base: string; key: string; rate: number; next: () => ReadRequest; recorder: Recorder }) {
  const pool = new Pool(options.base, { connections: 32, headersTimeout: 30_000, bodyTimeout: 30_000 })
  const headers = { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' }
  const start = performance.now()
  let sent = 0
  let inFlight = 0
  let stopped = false
  const send = () => {
    const scheduled = start + (sent / options.rate) * 1000
    sent++
    const window = options.recorder.current
    if (inFlight >= MAX_IN_FLIGHT) {
      window.readDropped++
      return
    }
    inFlight++
    const read = options.next()
    pool
      .request({ method: read.method, path: read.path, headers, body: read.body })
      .then(async (res) => {
        const text = await res.body.text()
        // GraphQL answers 200 with errors[] when a query fails.
        const failed = res.statusCode !== 200 || (read.path === '/graphql' && text.includes('"errors"'))
        const now = options.recorder.current
        if (!failed) {
          const latency = performance.now() - scheduled
          now.readLatencies.push(latency)
          ;(now.readsByKind[read.kind] ??= []).push(latency)
          return
        }
        now.readErrors++
        if (res.statusCode >= 500) now.read5xx++
        options.recorder.fail(`${read.method} ${read.path} → ${res.statusCode} ${text.slice(0, 200)}`)
      })
      .catch((error: Error) => {
        options.recorder.current.readErrors++
        options.recorder.fail(`${read.method} ${read.path} → ${error.message}`)
      })
      .finally(() => inFlight--)
  }
  const tick = () => {
    if (stopped) return
    // Request k is due at k / rate (see open-loop.ts: without the + 1 each read counted one interval too many).
    const due = Math.floor(((performance.now() - start) / 1000) * options.rate) + 1
    while (sent < due) send()
    setTimeout(tick, 2)
  }
  tick()
  return {
    async stop() {
      stopped = true
      const deadline = Date.now() + 35_000
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
      await pool.close()
    },
  }
}

/** Runs `step` every `everyMs` (from the start of one to the start of the next, never overlapping). */
export function every(everyMs: number, step: () => Promise<void>) {
  let stopped = false
  const running = (async () => {
    while (!stopped) {
      const began = Date.now()
      await step()
      const wait = everyMs - (Date.now() - began)
      for (let waited = 0; waited < wait && !stopped; waited += 100) await new Promise((resolve) => setTimeout(resolve, Math.min(100, wait - waited)))
    }
  })()
  return {
    stop: async () => {
      stopped = true
      await running
    },
  }
}

const DAY = 86_400_000
const isoDate = (d: Date) => d.toISOString().slice(0, 10)

/** The next business day at the same time of day (Friday → Monday): reminders go out on weekdays. */
export function nextBusinessDay(d: Date): Date {
  const next = new Date(d.getTime() + DAY)
  const weekday = next.getUTCDay()
  return new Date(next.getTime() + (weekday === 6 ? 2 : weekday === 0 ? 1 : 0) * DAY)
}

/** The shared state the writer and the ticker move: the clock, the known ids, a serial for references. */
export interface SoakState {
  clock: Date
  serial: number
  invoiceIds: string[]
  debtorIds: string[]
}

const remember = (list: string[], ids: string[], max = 20_000) => {
  list.push(...ids)
  if (list.length > max) list.splice(0, list.length - max)
}

/** One write cycle: `size` new invoices, already 10 days overdue on the clock, then payments for half of them. */
export async function writeCycle(tenant: SoakTenant, state: SoakState, size: number, recorder: Recorder) {
  const began = performance.now()
  const today = isoDate(state.clock)
  const lines = Array.from({ length: size }, () => {
    const n = ++state.serial
    const debtor = tenant.debtors[n % tenant.debtors.length]!
    const amount = 10_000 + ((n * 7_919) % 490_000)
    return {
      external_ref: `SOAK-${n}`, number: `S-${n}`, debtor_external_ref: debtor.ref, currency: debtor.currency, amount_total: amount,
      amount_tax: Math.floor(amount / 6), issue_date: isoDate(new Date(state.clock.getTime() - 40 * DAY)), due_date: isoDate(new Date(state.clock.getTime() - 10 * DAY)),
    }
  })
  const window = recorder.current
  try {
    const invoices = await tenant.relance.bulk('invoices', lines)
    if (invoices.object !== 'bulk_result' || invoices.rejected) throw new Error(`invoices bulk: ${JSON.stringify(invoices).slice(0, 300)}`)
    const created = invoices.results.map((r) => r.id!)
    remember(state.invoiceIds, created)
    const payments = lines.filter((_, i) => i % 2 === 0).map((line, i) => ({
      external_ref: `SOAK-PAY-${line.external_ref}`, debtor_external_ref: line.debtor_external_ref, amount: line.amount_total, currency: line.currency,
      received_on: today, method: 'transfer' as const, reference: `VIR ${line.number}`, allocations: [{ invoice_id: created[i * 2]!, amount: line.amount_total }],
    }))
    const paid = await tenant.relance.bulk('payments', payments)
    if (paid.object !== 'bulk_result' || paid.rejected) throw new Error(`payments bulk: ${JSON.stringify(paid).slice(0, 300)}`)
    window.writes += 2
    window.writtenLines += lines.length + payments.length
  } catch (error) {
    window.writeErrors++
    recorder.fail(`bulk write → ${(error as Error).message}`)
  }
  window.writeMaxMs = Math.max(window.writeMaxMs, performance.now() - began)
}

/** One engine tick: the test clock to the next business day (the engine and dispatch run for it), the simulators with it. */
export async function tick(tenant: SoakTenant, state: SoakState, simulators: string[], recorder: Recorder) {
  const began = performance.now()
  const to = nextBusinessDay(state.clock)
  const window = recorder.current
  try {
    await tenant.relance.post('/v1/test-clocks/{id}/advance', { path: { id: tenant.clockId }, body: { frozen_time: to.toISOString() } })
    state.clock = to
    for (const sim of simulators) {
      const res = await fetch(`${sim}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ to: to.toISOString() }) })
      if (!res.ok) throw new Error(`${sim}/_sandbox/advance → ${res.status}`)
    }
    window.ticks++
  } catch (error) {
    window.tickErrors++
    recorder.fail(`tick to ${to.toISOString()} → ${(error as Error).message}`)
  }
  window.tickMaxMs = Math.max(window.tickMaxMs, performance.now() - began)
}
