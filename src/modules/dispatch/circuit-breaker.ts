/**
 * One circuit per connection, in this process: after `threshold` transient failures in a row the
 * provider is left alone for `openMs` (its dispatches go back to the queue without a call), then
 * one dispatch probes it; success closes the circuit, failure opens it again. Wall-clock time,
 * whatever a test clock says: it is about the provider being down now.
 */
export interface CircuitOptions {
  threshold?: number
  openMs?: number
}

type Circuit = { failures: number; openUntil: number; probing: boolean }

export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>()
  private readonly threshold: number
  private readonly openMs: number

  constructor(options: CircuitOptions = {}) {
    this.threshold = options.threshold ?? 5
    this.openMs = options.openMs ?? 60_000
  }

  /** Whether a call may go now; null if it may, else when to try again. */
  blockedUntil(key: string, now = Date.now()): Date | null {
    const c = this.circuits.get(key)
    if (!c || c.failures < this.threshold) return null
    if (now < c.openUntil) return new Date(c.openUntil)
    // Half-open: one probe at a time; the others wait for its verdict.
    if (c.probing) return new Date(now + Math.min(this.openMs, 5_000))
    c.probing = true
    return null
  }

  succeeded(key: string): void {
    this.circuits.delete(key)
  }

  failed(key: string, now = Date.now()): void {
    const c = this.circuits.get(key) ?? { failures: 0, openUntil: 0, probing: false }
    c.failures++
    c.probing = false
    if (c.failures >= this.threshold) c.openUntil = now + this.openMs
    this.circuits.set(key, c)
  }

  state(key: string, now = Date.now()): 'closed' | 'open' | 'half_open' {
    const c = this.circuits.get(key)
    if (!c || c.failures < this.threshold) return 'closed'
    return now < c.openUntil ? 'open' : 'half_open'
  }
}
