/**
 * Delivers provider callbacks the way the provider does: POST, expect one status code, retry on a
 * schedule. Retry delays are in provider minutes; the sandbox compresses each minute to
 * `msPerMinute` real milliseconds (default 10 ms, so AR24's 15 min retry waits 150 ms).
 */
import { request } from 'undici'
import type { FaultInjector } from './faults.js'

export interface CallbackStats {
  attempts: number
  delivered: number
  abandoned: number
  /** Status codes answered, in order (-1 = connection failed). */
  responses: number[]
}

export interface CallbackDelivery {
  url: string
  body: string
  contentType: string
  headers?: Record<string, string>
}

export class CallbackSender {
  readonly stats: CallbackStats = { attempts: 0, delivered: 0, abandoned: 0, responses: [] }
  private readonly timers = new Set<NodeJS.Timeout>()
  private closed = false

  constructor(
    private readonly expectedStatus: number,
    /** Delay in minutes before each retry; its length is the number of retries. */
    private readonly retryMinutes: number[],
    private readonly msPerMinute = 10,
    /** Injected callback faults: sent twice, held for a random time (so out of order). */
    private readonly faults?: FaultInjector,
  ) {}

  send(delivery: CallbackDelivery): void {
    const faults = this.faults?.callbacks
    const copies = faults?.duplicate ? 2 : 1
    if (copies === 2) this.faults!.stats.duplicatedCallbacks++
    for (let copy = 0; copy < copies; copy++) {
      const delay = faults?.max_delay_ms ? Math.floor(this.faults!.random() * faults.max_delay_ms) : 0
      if (!delay) void this.attempt(delivery, 0)
      else this.later(() => void this.attempt(delivery, 0), delay)
    }
  }

  close(): void {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
  }

  private async attempt(delivery: CallbackDelivery, retry: number): Promise<void> {
    if (this.closed) return
    this.stats.attempts++
    let status: number
    try {
      const response = await request(delivery.url, {
        method: 'POST',
        body: delivery.body,
        headers: { 'content-type': delivery.contentType, ...delivery.headers },
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      })
      status = response.statusCode
      await response.body.dump()
    } catch {
      status = -1
    }
    this.stats.responses.push(status)
    if (status === this.expectedStatus) {
      this.stats.delivered++
      return
    }
    const delay = this.retryMinutes[retry]
    if (delay === undefined || this.closed) {
      this.stats.abandoned++
      return
    }
    this.later(() => void this.attempt(delivery, retry + 1), delay * this.msPerMinute)
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      fn()
    }, ms)
    this.timers.add(timer)
  }
}
