/**
 * A simulator's own clock. Real time runs `timeScale` times faster (default: a whole registered-mail
 * lifecycle, ~3 weeks, in a few seconds); `advance` jumps it so a tenant's test clock can drive it.
 * timeScale 0 freezes it: only `advance` moves time, which makes tests deterministic.
 */
export const DEFAULT_TIME_SCALE = 600_000 // 1 real second ≈ 7 simulated days

export class SimClock {
  private simAtAnchor: number
  private realAnchor = Date.now()

  constructor(
    private readonly timeScale = DEFAULT_TIME_SCALE,
    start: Date = new Date(),
  ) {
    this.simAtAnchor = start.getTime()
  }

  now(): Date {
    return new Date(this.simAtAnchor + (Date.now() - this.realAnchor) * this.timeScale)
  }

  /** Moves forward only: `{ to }` in the past is ignored, as a real clock cannot go back. */
  advance(input: { to?: string; days?: number; hours?: number }): Date {
    const current = this.now().getTime()
    let target = current
    if (input.to !== undefined) target = Math.max(current, Date.parse(input.to))
    if (input.days !== undefined) target += input.days * 86_400_000
    if (input.hours !== undefined) target += input.hours * 3_600_000
    if (Number.isNaN(target)) throw new Error('advance needs { to: ISO time } or { days: n }')
    this.simAtAnchor = target
    this.realAnchor = Date.now()
    return new Date(target)
  }
}

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
