const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/**
 * Standard Webhooks' example schedule: the delay before each attempt, the first one immediate.
 * Ten attempts over about 3 days 3 hours; after the tenth failure the delivery is failed.
 */
export const RETRY_SCHEDULE_MS = [0, 5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR]

/** An endpoint whose attempts have all failed for this long is disabled (the Svix rule). */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * HOUR

/** A receiver's Retry-After is honoured up to the longest step of the schedule. */
const MAX_RETRY_AFTER_MS = 24 * HOUR

/**
 * When the attempt at schedule position `step` (1..9) is due after the previous one failed:
 * ±10 % jitter so receivers coming back from an outage are not hit by every retry at once.
 */
export function retryDelayMs(step: number, random: () => number, retryAfterMs: number | null = null): number | null {
  const base = RETRY_SCHEDULE_MS[step]
  if (base === undefined) return null
  const jittered = Math.round(base * (0.9 + 0.2 * random()))
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS))
}
