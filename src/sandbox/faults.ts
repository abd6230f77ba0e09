/**
 * Faults a simulator injects on demand, set at start (`faults` option) or at any time with
 * `POST /_sandbox/faults` (the same JSON; `{}` clears them). Each rule picks requests by method and
 * path and applies to the next `times` of them, or to a seeded `probability` of them:
 *
 * - `http_error`: an HTTP error answer (default 503) in the provider's own format;
 * - `maintenance`: the provider's maintenance answer (AR24 `{"status":"maintenance"}`, Maileva 503);
 * - `slow`: the right answer, `delay_ms` late;
 * - `hang`: no answer for `delay_ms` (default 10 min), then the connection is dropped;
 * - `reset`: the connection is dropped at once.
 *
 * `when: "after"` lets the provider process the request first (the letter exists) and then loses
 * or spoils the answer: the case that tempts a client into sending twice.
 *
 * Callback faults: `duplicate` sends every callback twice, `max_delay_ms` holds each one for a
 * random time (so they arrive out of order), `early` makes a new item reach its final state at
 * once, so its callbacks race the sender's own record of the send.
 */
import { z } from 'zod'
import type { SimResponse } from './http-kit.js'
import { seededRandom } from './seeded-random.js'

const ruleSchema = z.strictObject({
  kind: z.enum(['http_error', 'maintenance', 'slow', 'hang', 'reset']),
  /** A regular expression tested on "METHOD /path", e.g. "^POST /api/mail$". Default: every API request. */
  match: z.string().max(200).optional(),
  times: z.number().int().min(1).optional(),
  probability: z.number().min(0).max(1).optional(),
  when: z.enum(['before', 'after']).default('before'),
  status: z.number().int().min(400).max(599).optional(),
  delay_ms: z.number().int().min(0).max(3_600_000).optional(),
})

export const faultPlanSchema = z.strictObject({
  rules: z.array(ruleSchema).max(20).default([]),
  callbacks: z
    .strictObject({ duplicate: z.boolean().default(false), max_delay_ms: z.number().int().min(0).max(600_000).default(0), early: z.boolean().default(false) })
    .default({ duplicate: false, max_delay_ms: 0, early: false }),
  seed: z.number().int().default(1),
})

export type FaultRule = z.infer<typeof ruleSchema>
export type FaultPlan = z.infer<typeof faultPlanSchema>
export type FaultPlanInput = z.input<typeof faultPlanSchema>
export type CallbackFaults = FaultPlan['callbacks']

export interface FaultStats {
  /** Provider API requests received (control routes aside), faulted or not. */
  requests: number
  /** Faults injected, by kind. */
  injected: Record<string, number>
  /** Callbacks sent a second time on purpose. */
  duplicatedCallbacks: number
}

export class FaultInjector {
  readonly stats: FaultStats = { requests: 0, injected: {}, duplicatedCallbacks: 0 }
  private plan: FaultPlan = faultPlanSchema.parse({})
  private left: (number | undefined)[] = []
  private patterns: (RegExp | null)[] = []
  random: () => number = seededRandom(1)

  constructor(plan: FaultPlanInput = {}) {
    this.set(plan)
  }

  /** Replaces the plan; throws a ZodError on a bad one. */
  set(input: FaultPlanInput): FaultPlan {
    this.plan = faultPlanSchema.parse(input)
    this.left = this.plan.rules.map((r) => r.times)
    this.patterns = this.plan.rules.map((r) => (r.match ? new RegExp(r.match) : null))
    this.random = seededRandom(this.plan.seed)
    return this.plan
  }

  get callbacks(): CallbackFaults {
    return this.plan.callbacks
  }

  /** The fault for this request, if any; counts it. Sandbox control routes are never faulted. */
  pick(method: string, path: string): FaultRule | null {
    if (path.startsWith('/_sandbox/')) return null
    this.stats.requests++
    const route = `${method} ${path}`
    for (const [i, rule] of this.plan.rules.entries()) {
      if (this.left[i] === 0) continue
      if (this.patterns[i] && !this.patterns[i]!.test(route)) continue
      if (rule.probability !== undefined && this.random() >= rule.probability) continue
      if (this.left[i] !== undefined) this.left[i]!--
      this.stats.injected[rule.kind] = (this.stats.injected[rule.kind] ?? 0) + 1
      return rule
    }
    return null
  }
}

/** `POST /_sandbox/faults`: the plan in force, or 400 naming what is wrong with the one sent. */
export function setFaultsFrom(injector: FaultInjector, input: unknown): SimResponse {
  const parsed = faultPlanSchema.safeParse(input)
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
    return { status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'invalid_faults', errors }) }
  }
  return { status: 200, contentType: 'application/json', body: JSON.stringify({ faults: injector.set(parsed.data) }) }
}
