import t from 'tap'
import { DEFAULT_SCENARIOS, defaultScenario } from '../../src/modules/engine/default-scenarios.js'
import { planNextAction, planTimeline, type PlanInput } from '../../src/modules/engine/planner.js'
import { EVENT_TRIGGERS, scenarioDefinitionSchema } from '../../src/modules/engine/scenario-definition.js'
import { planInput, scenario, type InputOverrides } from './planner-fixtures.js'

const step = (input: PlanInput) => {
  const plan = planNextAction(input)
  if (plan.action !== 'step') throw new Error(`expected a step, got ${JSON.stringify(plan)}`)
  return plan
}

t.test('every stop reason, final states first', async (t) => {
  const stop = (o: InputOverrides) => planNextAction(planInput(o))
  t.same(stop({ invoice: { status: 'paid' } }), { action: 'stop', reason: 'paid' })
  t.same(stop({ invoice: { status: 'cancelled' } }), { action: 'stop', reason: 'cancelled' })
  t.same(stop({ invoice: { status: 'written_off' } }), { action: 'stop', reason: 'written_off' })
  t.same(stop({ invoice: { status: 'disputed' } }), { action: 'stop', reason: 'disputed' })
  t.same(stop({ stops: { onHold: true } }), { action: 'stop', reason: 'on_hold' })
  t.same(stop({ stops: { currentPaymentPlan: true } }), { action: 'stop', reason: 'payment_plan' })
  t.same(stop({ invoice: { amountDue: 0 } }), { action: 'stop', reason: 'nothing_due' })
  t.same(stop({ invoice: { status: 'paid' }, stops: { onHold: true } }), { action: 'stop', reason: 'paid' })
  t.same(stop({ invoice: { status: 'partially_paid', lastStepIndex: 6 } }), { action: 'done' }, 'no step left')
})

const PARIS_WINTER = (date: string) => `${date}T08:00:00.000Z` // 09:00 CET
const PARIS_SUMMER = (date: string) => `${date}T07:00:00.000Z` // 09:00 CEST

const DEFAULT_LADDER = [
  ['courtesy_notice', 'email', 'reminder_courteous', PARIS_WINTER('2026-03-05')],
  ['first_reminder', 'email', 'reminder_first', PARIS_WINTER('2026-03-11')],
  ['firm_reminder', 'email', 'reminder_firm', PARIS_WINTER('2026-03-20')],
  ['call', 'call_task', 'call_script', PARIS_WINTER('2026-03-25')],
  // +25 is Saturday 4 April; Monday 6 April is Easter Monday; and summer time has begun.
  ['simple_letter', 'letter', 'letter_simple', PARIS_SUMMER('2026-04-07')],
  ['formal_notice', 'registered_email', 'formal_notice', PARIS_SUMMER('2026-04-14')],
  ['litigation', 'litigation_handoff', 'litigation_handoff', PARIS_SUMMER('2026-04-29')],
]

t.test('the default scenario walked step by step, as the evaluator would', async (t) => {
  let input = planInput()
  const contacts: Date[] = []
  for (const [index, [key, channel, template, at]] of DEFAULT_LADDER.entries()) {
    const early = step(input)
    t.match(early, { stepIndex: index, stepKey: key, channel, template, due: false }, `${key} planned`)
    t.equal(early.at.toISOString(), at, `${key} at ${at}`)
    // At that instant the tick claims the invoice, plans again, and the step is due right now.
    const now = early.at
    const onTime = step({ ...input, now })
    t.same({ at: onTime.at, due: onTime.due, stepKey: onTime.stepKey }, { at: now, due: true, stepKey: key })
    if (channel !== 'litigation_handoff') contacts.push(now)
    input = {
      ...input,
      now,
      invoice: { ...input.invoice, lastStepIndex: index, lastStepAt: now, lastStepOutcome: 'delivered' },
      contacts: {
        lastContactAt: contacts.at(-1) ?? null,
        inPeriod: contacts.filter((c) => c.getTime() > now.getTime() - 30 * 86_400_000).length,
      },
    }
  }
  t.same(planNextAction(input), { action: 'done' })
})

t.test('planTimeline lists the same ladder ahead of time', async (t) => {
  const timeline = planTimeline(planInput(), new Date('2027-01-01T00:00:00Z'))
  t.same(timeline.map((s) => [s.stepKey, s.channel, s.template, s.at.toISOString()]), DEFAULT_LADDER)
  t.ok(timeline.every((s) => !s.due), 'nothing is due on 1 February')
  const untilApril = planTimeline(planInput(), new Date('2026-04-01T00:00:00Z'))
  t.same(untilApril.map((s) => s.stepKey), ['courtesy_notice', 'first_reminder', 'firm_reminder', 'call'])
  t.same(planTimeline(planInput({ stops: { onHold: true } }), new Date('2027-01-01')), [], 'nothing while on hold')
  // 'last' is anchored on the step before it, simulated as done at its planned instant.
  const chained = planTimeline(planInput({ scenario: custom }), new Date('2027-01-01'))
  t.same(
    chained.map((s) => [s.stepKey, s.at.toISOString()]),
    [
      ['big', PARIS_WINTER('2026-03-11')],
      ['last', PARIS_WINTER('2026-03-18')],
    ],
  )
})

t.test('formal notice: LRE for businesses, public bodies and consenting consumers, else LRAR', async (t) => {
  const atNotice = (debtor: InputOverrides['debtor']) =>
    step(planInput({ debtor, invoice: { lastStepIndex: 4, lastStepAt: new Date('2026-04-07T07:00:00Z') } }))
  t.match(atNotice({ kind: 'business' }), { stepKey: 'formal_notice', channel: 'registered_email' })
  t.match(atNotice({ kind: 'public_body' }), { channel: 'registered_email' })
  t.match(atNotice({ kind: 'consumer', lreConsent: true }), { channel: 'registered_email' })
  t.match(atNotice({ kind: 'consumer', lreConsent: false }), { channel: 'registered_letter', template: 'formal_notice' })
})

const email = (template: string) => [{ channel: 'email', template }]
const custom = scenario({
  steps: [
    { key: 'big', offset_days: 1, channels: email('big'), conditions: { min_overdue_amount: 10_000 } },
    { key: 'consumers', offset_days: 2, channels: email('c'), conditions: { debtor_kinds: ['consumer'] } },
    { key: 'vip', offset_days: 3, channels: email('vip'), conditions: { segments: ['vip'] } },
    {
      key: 'bounced',
      offset_days: 4,
      channels: [{ channel: 'letter', template: 'b' }],
      conditions: { previous_outcome: 'not_delivered' },
    },
    { key: 'sms', offset_days: 5, channels: [{ channel: 'sms', template: 's', debtor_kinds: ['consumer'] }] },
    { key: 'last', anchor: 'previous_step', offset_days: 7, channels: email('l'), business_days_only: false },
  ],
  send_policy: { min_gap_days: 0 },
})

t.test('steps whose conditions fail are skipped', async (t) => {
  const first = (o: InputOverrides) => step(planInput({ scenario: custom, ...o })).stepKey
  t.equal(first({ invoice: { amountDue: 10_000 } }), 'big', 'at the threshold')
  t.equal(first({ invoice: { amountDue: 9_999 } }), 'last', 'below it, and nothing else fits a business debtor')
  t.equal(first({ invoice: { amountDue: 9_999 }, debtor: { kind: 'consumer' } }), 'consumers')
  t.equal(first({ invoice: { amountDue: 9_999 }, debtor: { segment: 'vip' } }), 'vip')
  const afterBig = { lastStepIndex: 0, lastStepAt: new Date('2026-03-11T08:00:00Z') }
  t.equal(first({ invoice: { ...afterBig, lastStepOutcome: 'not_delivered' } }), 'bounced')
  t.equal(first({ invoice: { ...afterBig, lastStepOutcome: 'delivered' } }), 'last')
  t.equal(first({ invoice: { ...afterBig, lastStepOutcome: null } }), 'last', 'an unknown outcome is no bounce')
  t.equal(first({ invoice: { ...afterBig }, debtor: { kind: 'consumer', segment: 'x' } }), 'consumers')
  t.same(planNextAction(planInput({ scenario: custom, invoice: { lastStepIndex: 5 } })), { action: 'done' })
})

t.test('a step with no channel for the debtor is skipped; the first fitting option wins', async (t) => {
  const afterBounce = { lastStepIndex: 3, lastStepAt: new Date('2026-03-16T08:00:00Z') }
  t.match(step(planInput({ scenario: custom, invoice: afterBounce, debtor: { kind: 'consumer' } })), { stepKey: 'sms' })
  t.match(step(planInput({ scenario: custom, invoice: afterBounce })), { stepKey: 'last' })
  const options = scenario({
    steps: [
      {
        key: 'a',
        offset_days: 1,
        channels: [
          { channel: 'sms', template: 'sms', debtor_kinds: ['consumer'] },
          { channel: 'email', template: 'mail' },
        ],
      },
    ],
  })
  t.match(step(planInput({ scenario: options, debtor: { kind: 'consumer' } })), { channel: 'sms', template: 'sms' })
  t.match(step(planInput({ scenario: options, debtor: { kind: 'public_body' } })), { channel: 'email', template: 'mail' })
})

t.test('previous_step anchors on the local date the last step was done', async (t) => {
  // 23:30 UTC on 10 March is 00:30 on 11 March in Paris: +7 → Wednesday 18 March.
  const lastStepAt = new Date('2026-03-10T23:30:00Z')
  const plan = step(planInput({ scenario: custom, invoice: { lastStepIndex: 4, lastStepAt } }))
  t.match(plan, { stepKey: 'last' })
  t.equal(plan.at.toISOString(), PARIS_WINTER('2026-03-18'))
  const first = scenario({ steps: [{ key: 'x', anchor: 'previous_step', offset_days: 2, channels: email('x') }] })
  t.equal(step(planInput({ scenario: first })).at.toISOString(), PARIS_WINTER('2026-03-12'), 'nothing before: the due date')
})

t.test('a pre-due notice is skipped once the due date has come', async (t) => {
  const late = step(planInput({ now: '2026-03-10T09:30:00Z' }))
  t.match(late, { stepKey: 'first_reminder', due: false })
  t.match(step(planInput({ now: '2026-03-09T10:00:00Z' })), { stepKey: 'courtesy_notice', due: true })
  const old = step(planInput({ now: '2026-06-02T12:00:00Z', debtor: { kind: 'consumer' } }))
  t.match(old, { stepKey: 'first_reminder', due: true }, 'a long overdue import starts with the first reminder, now')
  t.equal(old.at.toISOString(), '2026-06-02T12:00:00.000Z')
})

t.test('never before now, and not due outside the window', async (t) => {
  const evening = step(planInput({ now: '2026-03-11T19:00:00Z' }))
  t.match(evening, { stepKey: 'first_reminder', due: false })
  t.equal(evening.at.toISOString(), PARIS_WINTER('2026-03-12'))
  const ny = step(planInput({ debtor: { timezone: 'America/New_York', country: 'US' }, now: '2026-03-11T12:00:00Z' }))
  t.equal(ny.at.toISOString(), '2026-03-11T13:00:00.000Z', '09:00 EDT')
})

t.test('min gap after the last contact of the debtor, in local calendar days', async (t) => {
  const afterCourtesy = { lastStepIndex: 0, lastStepAt: new Date('2026-03-05T08:00:00Z') }
  // Another invoice of the debtor was chased on Tuesday 10 March at 17:00 Paris time.
  const contacts = { lastContactAt: new Date('2026-03-10T16:00:00Z'), inPeriod: 2 }
  const plan = step(planInput({ invoice: afterCourtesy, contacts, now: '2026-03-10T16:00:00Z' }))
  t.equal(plan.at.toISOString(), PARIS_WINTER('2026-03-13'), 'Tuesday + 3 days = Friday')
  const standard = planInput().scenario
  const noGap = scenario({ ...standard, send_policy: { ...standard.send_policy, min_gap_days: 0 } })
  const anyTime = step(planInput({ scenario: noGap, invoice: afterCourtesy, contacts }))
  t.equal(anyTime.at.toISOString(), PARIS_WINTER('2026-03-11'), "no gap: the step's own date")
})

t.test('at most max_contacts per period', async (t) => {
  const afterCourtesy = { lastStepIndex: 0, lastStepAt: new Date('2026-03-05T08:00:00Z') }
  const lastContactAt = new Date('2026-03-09T09:00:00Z')
  const full = step(planInput({ invoice: afterCourtesy, contacts: { lastContactAt, inPeriod: 5 } }))
  t.equal(full.at.toISOString(), '2026-04-08T09:00:00.000Z', 'once the last counted contact leaves the 30 days')
  const room = step(planInput({ invoice: afterCourtesy, contacts: { lastContactAt, inPeriod: 4 } }))
  t.equal(room.at.toISOString(), PARIS_WINTER('2026-03-12'), 'below the cap: only the gap applies')
  const handoff = step(
    planInput({
      invoice: { lastStepIndex: 5, lastStepAt: new Date('2026-04-14T07:00:00Z') },
      contacts: { lastContactAt: new Date('2026-04-28T07:00:00Z'), inPeriod: 9 },
    }),
  )
  t.match(handoff, { stepKey: 'litigation', channel: 'litigation_handoff' })
  t.equal(handoff.at.toISOString(), PARIS_SUMMER('2026-04-29'), 'a hand-off is no contact: neither gap nor cap')
})

t.test('the default scenarios are valid scenario definitions, in French and English', async (t) => {
  t.same(DEFAULT_SCENARIOS.map((s) => s.language).sort(), ['en', 'fr'])
  for (const s of DEFAULT_SCENARIOS) {
    const parsed = scenarioDefinitionSchema.safeParse(s.definition)
    t.ok(parsed.success, `${s.language}: ${JSON.stringify(parsed.error?.issues)}`)
    t.same(parsed.data, s.definition, `${s.language}: nothing left to defaults`)
    t.same(s.definition.event_steps.map((e) => e.trigger).sort(), [...EVENT_TRIGGERS].sort(), 'every event has a message')
    t.ok(s.name.length > 0 && s.description.length > 0)
  }
  t.equal(defaultScenario('fr').name, 'Relance standard')
  t.not(defaultScenario('fr').definition, defaultScenario('en').definition, 'each language has its own copy to edit')
  const notice = defaultScenario('en').definition.steps.find((s) => s.key === 'formal_notice')
  t.same(notice?.channels.map((c) => c.channel), ['registered_email', 'registered_letter'], 'LRE first, LRAR otherwise')
})
