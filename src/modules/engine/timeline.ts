import type { PlanInput, PlannedStep } from './planner-types.js'
import { isDebtorContact, planNextAction } from './planner.js'

const DAY = 86_400_000

/**
 * Every remaining step planned up to `until`, assuming nothing changes: no payment, no hold, and
 * each step done and delivered at its planned instant. Previews and debtor timelines show this;
 * the evaluator never uses it (it re-plans from real facts after each step). `due` is against the
 * real `input.now`. An empty list with the reason comes from planNextAction(input).
 */
export function planTimeline(input: PlanInput, until: Date): PlannedStep[] {
  const period = input.scenario.send_policy.period_days * DAY
  const before = input.contacts
  const simulated: number[] = []
  const entries: PlannedStep[] = []
  let state = input
  // Each round moves past one step, so there are at most as many rounds as steps.
  for (let round = 0; round < input.scenario.steps.length; round++) {
    const next = planNextAction(state)
    if (next.action !== 'step' || next.at.getTime() > until.getTime()) break
    entries.push({ ...next, due: next.at.getTime() <= input.now.getTime() })
    const t = next.at.getTime()
    if (isDebtorContact(next.channel)) simulated.push(t)
    // Contacts known before the simulation are only a count; all are no later than the last one,
    // so they are surely out of the period once it has passed since that last one.
    const earlier = before.lastContactAt && t < before.lastContactAt.getTime() + period ? before.inPeriod : 0
    const lastSimulated = simulated.at(-1)
    state = {
      ...state,
      invoice: { ...state.invoice, lastStepIndex: next.stepIndex, lastStepAt: next.at, lastStepOutcome: 'delivered' },
      contacts: {
        lastContactAt: lastSimulated === undefined ? before.lastContactAt : new Date(lastSimulated),
        inPeriod: earlier + simulated.filter((c) => c > t - period).length,
      },
      now: new Date(Math.max(t, state.now.getTime())),
    }
  }
  return entries
}
