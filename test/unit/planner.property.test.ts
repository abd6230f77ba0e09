import fc from 'fast-check'
import t from 'tap'
import { isBusinessDay, isoWeekday } from '../../src/modules/engine/calendar.js'
import { planNextAction, planTimeline, type PlanInput } from '../../src/modules/engine/planner.js'
import { CHANNELS, DEBTOR_KINDS, scenarioDefinitionSchema } from '../../src/modules/engine/scenario-definition.js'
import { localDate, localTime } from '../../src/modules/engine/send-window.js'
import { addDays, daysBetween } from '../../src/shared/dates.js'

const DAY = 86_400_000
const RUNS = { numRuns: 300 }
// Both hemispheres' DST, a zone that skips midnight (Santiago), a half-hour offset (Kolkata).
const ZONES = [
  'Europe/Paris',
  'America/New_York',
  'Asia/Tokyo',
  'Australia/Sydney',
  'America/Santiago',
  'Asia/Kolkata',
  'UTC',
]
const COUNTRIES = ['FR', 'DE', 'US', 'JP', 'GB', 'XX']
const STATUSES = ['open', 'partially_paid', 'paid', 'disputed', 'cancelled', 'written_off'] as const
const instant = (from: string, to: string) =>
  fc.integer({ min: Date.parse(from), max: Date.parse(to) }).map((ms) => new Date(Math.floor(ms / 60_000) * 60_000))
const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

/** Drops keys set to undefined: the scenario schema is strict about what is there. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

const rarely = fc.integer({ min: 0, max: 9 }).map((n) => n === 0)

/** Sometimes `value`, mostly left out: most options and steps fit most debtors, as in real scenarios. */
const sometimes = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: value, weight: 1 })

const channelOption = fc
  .record({
    channel: fc.constantFrom(...CHANNELS),
    debtor_kinds: sometimes(fc.subarray([...DEBTOR_KINDS], { minLength: 1 })),
    requires_lre_consent: sometimes(fc.boolean()),
    template: fc.constant('t'),
  })
  .map(withoutUndefined)

const step = fc.record({
  anchor: fc.constantFrom('due_date', 'previous_step'),
  offset_days: fc.integer({ min: -20, max: 60 }),
  channels: fc.array(channelOption, { minLength: 1, maxLength: 3 }),
  conditions: fc
    .record({
      min_overdue_amount: sometimes(fc.integer({ min: 0, max: 100_000 })),
      debtor_kinds: sometimes(fc.subarray([...DEBTOR_KINDS], { minLength: 1 })),
      segments: sometimes(fc.subarray(['a', 'b'], { minLength: 1 })),
      previous_outcome: sometimes(fc.constantFrom('delivered', 'not_delivered')),
    })
    .map(withoutUndefined),
  business_days_only: fc.boolean(),
})

const sendPolicy = fc
  .record({
    start: fc.integer({ min: 0, max: 23 * 60 + 58 }),
    length: fc.integer({ min: 1, max: 24 * 60 }),
    weekdays: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
    min_gap_days: fc.integer({ min: 0, max: 10 }),
    max_contacts: fc.integer({ min: 1, max: 6 }),
    period_days: fc.integer({ min: 1, max: 60 }),
  })
  .map(({ start, length, ...rest }) => ({
    ...rest,
    window_start: hhmm(start),
    window_end: hhmm(Math.min(start + length, 23 * 60 + 59)),
  }))

/** Random scenarios kept only when the schema accepts them, as the scenarios module would. */
const scenario = fc
  .record({ steps: fc.array(step, { minLength: 1, maxLength: 6 }), send_policy: sendPolicy })
  .map(({ steps, send_policy }) =>
    scenarioDefinitionSchema.safeParse({ steps: steps.map((s, i) => ({ ...s, key: `s${i}` })), send_policy }),
  )
  .filter((r) => r.success)
  .map((r) => r.data!)

const planInput: fc.Arbitrary<PlanInput> = fc
  .record({
    scenario,
    dueDate: instant('2025-01-01', '2027-12-31').map((d) => d.toISOString().slice(0, 10)),
    amountDue: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 200_000 }), weight: 9 }, fc.constant(0)),
    // Mostly live debts, so that most runs plan a step rather than stop.
    status: fc.oneof({ arbitrary: fc.constantFrom('open', 'partially_paid'), weight: 8 }, fc.constantFrom(...STATUSES)),
    lastStep: fc.integer({ min: -1, max: 3 }),
    lastStepOffset: fc.integer({ min: -20 * DAY, max: 120 * DAY }),
    lastStepOutcome: fc.constantFrom('delivered', 'not_delivered', null),
    kind: fc.constantFrom(...DEBTOR_KINDS),
    segment: fc.constantFrom('a', 'b', null),
    country: fc.constantFrom(...COUNTRIES),
    timezone: fc.constantFrom(...ZONES),
    lreConsent: fc.boolean(),
    onHold: rarely,
    currentPaymentPlan: rarely,
    lastContactAgo: fc.option(fc.integer({ min: 0, max: 90 * DAY })),
    inPeriod: fc.integer({ min: 0, max: 8 }),
    nowOffset: fc.integer({ min: -40 * DAY, max: 150 * DAY }),
  })
  .map((r) => {
    const due = Date.parse(`${r.dueDate}T12:00:00Z`)
    const now = new Date(Math.floor((due + r.nowOffset) / 60_000) * 60_000)
    // Leave at least one step to plan; "done" still comes from steps skipped by their conditions.
    const period = r.scenario.send_policy.period_days * DAY
    const lastStepIndex = Math.min(r.lastStep, r.scenario.steps.length - 2)
    return {
      scenario: r.scenario,
      invoice: {
        dueDate: r.dueDate,
        amountDue: r.amountDue,
        currency: 'EUR',
        status: r.status,
        lastStepIndex,
        lastStepAt: lastStepIndex < 0 ? null : new Date(Math.min(due + r.lastStepOffset, now.getTime())),
        lastStepOutcome: lastStepIndex < 0 ? null : r.lastStepOutcome,
      },
      debtor: { kind: r.kind, segment: r.segment, country: r.country, timezone: r.timezone, lreConsent: r.lreConsent },
      stops: { onHold: r.onHold, currentPaymentPlan: r.currentPaymentPlan },
      contacts: {
        lastContactAt: r.lastContactAgo === null ? null : new Date(now.getTime() - r.lastContactAgo),
        // Contacts in the period are no older than the last one; none once it is out of the period.
        inPeriod: r.lastContactAgo === null || r.lastContactAgo >= period ? 0 : r.inPeriod,
      },
      now,
    }
  })

/** The step's calendar date restated from the spec, independently of the planner's code. */
function stepDate(input: PlanInput, index: number): string {
  const s = input.scenario.steps[index]!
  const { lastStepIndex, lastStepAt, dueDate } = input.invoice
  if (s.anchor === 'previous_step' && lastStepIndex >= 0 && lastStepAt) {
    return addDays(localDate(lastStepAt, input.debtor.timezone), s.offset_days)
  }
  return addDays(dueDate, s.offset_days)
}

t.test('a planned step is never early, always in the window, on an allowed day', async (t) => {
  let steps = 0
  fc.assert(
    fc.property(planInput, (input) => {
      const plan = planNextAction(input)
      if (plan.action !== 'step') return
      steps++
      const { timezone: tz, country } = input.debtor
      const policy = input.scenario.send_policy
      const date = localDate(plan.at, tz)
      const time = localTime(plan.at, tz)
      if (date < stepDate(input, plan.stepIndex)) throw new Error(`before the step's date: ${date}`)
      if (plan.at < input.now) throw new Error('before now')
      if (plan.due !== (plan.at.getTime() <= input.now.getTime())) throw new Error('due is not at <= now')
      if (time < policy.window_start || time >= policy.window_end) throw new Error(`outside the window: ${time}`)
      if (!policy.weekdays.includes(isoWeekday(date))) throw new Error(`weekday not allowed: ${date}`)
      if (input.scenario.steps[plan.stepIndex]!.business_days_only && !isBusinessDay(date, country)) {
        throw new Error(`not a business day in ${country}: ${date}`)
      }
    }),
    RUNS,
  )
  t.ok(steps > RUNS.numRuns / 3, `${steps} of ${RUNS.numRuns} runs planned a step`)
})

t.test('a contact respects the min gap and the cap', async () => {
  fc.assert(
    fc.property(planInput, (input) => {
      const plan = planNextAction(input)
      const last = input.contacts.lastContactAt
      if (plan.action !== 'step' || plan.channel === 'litigation_handoff' || !last) return
      const { min_gap_days, max_contacts, period_days } = input.scenario.send_policy
      const tz = input.debtor.timezone
      const gap = daysBetween(localDate(last, tz), localDate(plan.at, tz))
      if (plan.at < last || gap < min_gap_days) throw new Error(`only ${gap} days after the last contact`)
      if (input.contacts.inPeriod >= max_contacts && plan.at.getTime() < last.getTime() + period_days * DAY) {
        throw new Error('over the cap')
      }
    }),
    RUNS,
  )
})

t.test('no step on hold, disputed, in a current plan, paid or with nothing due', async () => {
  fc.assert(
    fc.property(planInput, (input) => {
      const plan = planNextAction(input)
      const { status, amountDue } = input.invoice
      const stopped = input.stops.onHold || input.stops.currentPaymentPlan || amountDue === 0
      if ((stopped || !['open', 'partially_paid'].includes(status)) && plan.action !== 'stop') {
        throw new Error(`planned ${plan.action} for a stopped invoice`)
      }
      if (status === 'paid' && (plan.action !== 'stop' || plan.reason !== 'paid')) throw new Error('not stopped as paid')
    }),
    RUNS,
  )
})

t.test('the timeline moves forward through the steps and keeps every rule', async () => {
  fc.assert(
    fc.property(planInput, (input) => {
      const timeline = planTimeline(input, new Date(input.now.getTime() + 400 * DAY))
      const policy = input.scenario.send_policy
      for (const [i, s] of timeline.entries()) {
        const prev = timeline[i - 1]
        if (prev && (s.stepIndex <= prev.stepIndex || s.at < prev.at)) throw new Error('out of order')
        const time = localTime(s.at, input.debtor.timezone)
        if (time < policy.window_start || time >= policy.window_end) throw new Error(`outside the window: ${time}`)
      }
      const first = planNextAction(input)
      if (first.action === 'step' && timeline[0]?.at.getTime() !== first.at.getTime()) throw new Error('first differs')
    }),
    { numRuns: 150 },
  )
})
