import { addDays } from '../../shared/dates.js'
import type { DebtorKind, PlanInput, PlanResult, StopReason } from './planner-types.js'
import type { Channel, ChannelOption, ScenarioStep } from './scenario-definition.js'
import { localDate, nextSendInstant, zonedInstant } from './send-window.js'

export type * from './planner-types.js'
export { planTimeline } from './timeline.js'

/**
 * The pure planner: from a scenario version, the invoice's dunning state, the debtor's calendar
 * and contact history, and `now`, it says what happens next and when. No I/O and no clock: the
 * set-based evaluator calls it for every due row, previews call it with made-up inputs.
 */

const DAY = 86_400_000

/** A hand-off to a lawyer or agency is no contact of the debtor: no min gap, no cap. */
export function isDebtorContact(channel: Channel): boolean {
  return channel !== 'litigation_handoff'
}

function stopReason({ invoice, stops }: PlanInput): StopReason | null {
  // Final states first: money paid or a debt withdrawn matters more than why we paused.
  if (invoice.status === 'paid') return 'paid'
  if (invoice.status === 'cancelled') return 'cancelled'
  if (invoice.status === 'written_off') return 'written_off'
  if (invoice.status === 'disputed') return 'disputed'
  if (stops.onHold) return 'on_hold'
  if (stops.currentPaymentPlan) return 'payment_plan'
  if (invoice.amountDue <= 0) return 'nothing_due'
  return null
}

function conditionsMet(step: ScenarioStep, { invoice, debtor }: PlanInput): boolean {
  const c = step.conditions
  if (c.min_overdue_amount !== undefined && invoice.amountDue < c.min_overdue_amount) return false
  if (c.debtor_kinds && !c.debtor_kinds.includes(debtor.kind)) return false
  if (c.segments && (debtor.segment === null || !c.segments.includes(debtor.segment))) return false
  // An outcome still unknown does not match: the step is for a known bounce (or delivery).
  if (c.previous_outcome && invoice.lastStepOutcome !== c.previous_outcome) return false
  return true
}

/** The first option the debtor qualifies for; an LRE needs a consumer's prior consent only. */
export function chooseChannel(
  options: readonly ChannelOption[],
  debtor: { kind: DebtorKind; lreConsent: boolean },
): ChannelOption | null {
  return (
    options.find(
      (o) =>
        (!o.debtor_kinds || o.debtor_kinds.includes(debtor.kind)) &&
        (!o.requires_lre_consent || debtor.kind !== 'consumer' || debtor.lreConsent),
    ) ?? null
  )
}

/** The step's calendar date in the debtor's time zone, before any window or gap. */
export function stepDate(step: ScenarioStep, { invoice, debtor }: PlanInput): string {
  if (step.anchor === 'previous_step' && invoice.lastStepIndex >= 0 && invoice.lastStepAt) {
    return addDays(localDate(invoice.lastStepAt, debtor.timezone), step.offset_days)
  }
  // A first step anchored on a previous one has nothing before it but the due date.
  return addDays(invoice.dueDate, step.offset_days)
}

/** A notice "your invoice falls due on …" makes no sense once that date has come. */
function isStalePreDueNotice(step: ScenarioStep, { invoice, debtor, now }: PlanInput): boolean {
  return step.anchor === 'due_date' && step.offset_days < 0 && localDate(now, debtor.timezone) >= invoice.dueDate
}

function sendAt(date: string, step: ScenarioStep, channel: Channel, input: PlanInput): Date {
  const { scenario, debtor, contacts, now } = input
  const policy = scenario.send_policy
  const tz = debtor.timezone
  let earliest = Math.max(zonedInstant(date, '00:00', tz).getTime(), now.getTime())
  if (isDebtorContact(channel)) {
    const last = contacts.lastContactAt
    if (last) {
      earliest = Math.max(earliest, last.getTime())
      // The gap counts local calendar days, as a person would: contacted Monday, gap 3 → Thursday.
      if (policy.min_gap_days > 0) {
        const gapDate = addDays(localDate(last, tz), policy.min_gap_days)
        earliest = Math.max(earliest, zonedInstant(gapDate, '00:00', tz).getTime())
      }
    }
    // The cap is a rolling period counted in SQL as "after now − period": wait until every counted
    // contact (none later than the last one) has left the period.
    if (contacts.inPeriod >= policy.max_contacts) {
      earliest = Math.max(earliest, (last ?? now).getTime() + policy.period_days * DAY)
    }
  }
  return nextSendInstant(new Date(earliest), policy, tz, debtor.country, step.business_days_only)
}

/** What happens next for one invoice: stop (and why), nothing left (done), or which step and when. */
export function planNextAction(input: PlanInput): PlanResult {
  const stop = stopReason(input)
  if (stop) return { action: 'stop', reason: stop }
  const steps = input.scenario.steps
  for (let i = Math.max(0, input.invoice.lastStepIndex + 1); i < steps.length; i++) {
    const step = steps[i]
    if (!step || !conditionsMet(step, input) || isStalePreDueNotice(step, input)) continue
    const option = chooseChannel(step.channels, input.debtor)
    if (!option) continue
    const at = sendAt(stepDate(step, input), step, option.channel, input)
    return {
      action: 'step',
      stepIndex: i,
      stepKey: step.key,
      channel: option.channel,
      template: option.template,
      at,
      due: at.getTime() <= input.now.getTime(),
    }
  }
  return { action: 'done' }
}
