import { Pool } from 'undici'

export interface Measured {
  rps: number
  p50: number
  p99: number
  max: number
  failures: number
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0
const round = (ms: number) => Math.round(ms * 10) / 10

/**
 * A fixed-rate (open-loop) load: requests leave on a uniform schedule whatever the answers do, and
 * each latency counts from its scheduled time, so a server falling behind shows as latency rather
 * than as fewer requests. autocannon's rate limit sends each connection's budget in a burst at the
 * top of every second, which measures bursts, not a steady rate.
 */
export async function openLoop(options: {
  origin: string
  path: () => string
  headers: Record<string, string>
  rate: number
  seconds: number
  connections?: number
}): Promise<Measured> {
  const pool = new Pool(options.origin, { connections: options.connections ?? 64 })
  const total = Math.round(options.rate * options.seconds)
  const latencies: number[] = []
  let failures = 0
  let sent = 0
  let settled = 0
  const start = performance.now()
  await new Promise<void>((resolve) => {
    const send = () => {
      const scheduled = start + (sent / options.rate) * 1000
      sent++
      pool
        .request({ method: 'GET', path: options.path(), headers: options.headers })
        .then(async (res) => {
          await res.body.dump()
          if (res.statusCode === 200) latencies.push(performance.now() - scheduled)
          else failures++
        })
        .catch(() => failures++)
        .finally(() => {
          if (++settled === total) resolve()
        })
    }
    const tick = () => {
      // Request k is due at k / rate: the first leaves at once (without the + 1 every request left
      // one interval after the time its latency is counted from, 10 ms too much at 100 req/s).
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * options.rate) + 1)
      while (sent < due) send()
      if (sent < total) setTimeout(tick, 1)
    }
    tick()
  })
  const elapsed = (performance.now() - start) / 1000
  await pool.close()
  latencies.sort((a, b) => a - b)
  return {
    rps: Math.round(latencies.length / elapsed),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? 0),
    failures,
  }
}
