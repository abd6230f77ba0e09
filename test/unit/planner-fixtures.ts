import { defaultScenario } from '../../src/modules/engine/default-scenarios.js'
import type { PlanInput } from '../../src/modules/engine/planner.js'
import { scenarioDefinitionSchema, type ScenarioDefinition } from '../../src/modules/engine/scenario-definition.js'

/** Parses a scenario the way the scenarios module does, so defaults are filled in. */
export function scenario(raw: unknown): ScenarioDefinition {
  return scenarioDefinitionSchema.parse(raw)
}

export interface InputOverrides {
  scenario?: ScenarioDefinition
  invoice?: Partial<PlanInput['invoice']>
  debtor?: Partial<PlanInput['debtor']>
  stops?: Partial<PlanInput['stops']>
  contacts?: Partial<PlanInput['contacts']>
  now?: Date | string
}

/**
 * A French business debtor with one open invoice of 1 200,00 EUR due Tuesday 10 March 2026 on the
 * default scenario, nothing done yet, planned on 1 February 2026.
 */
export function planInput(o: InputOverrides = {}): PlanInput {
  return {
    scenario: o.scenario ?? defaultScenario('fr').definition,
    invoice: {
      dueDate: '2026-03-10',
      amountDue: 120_000,
      currency: 'EUR',
      status: 'open',
      lastStepIndex: -1,
      lastStepAt: null,
      lastStepOutcome: null,
      ...o.invoice,
    },
    debtor: {
      kind: 'business',
      segment: null,
      country: 'FR',
      timezone: 'Europe/Paris',
      lreConsent: false,
      ...o.debtor,
    },
    stops: { onHold: false, currentPaymentPlan: false, ...o.stops },
    contacts: { lastContactAt: null, inPeriod: 0, ...o.contacts },
    now: new Date(o.now ?? '2026-02-01T10:00:00Z'),
  }
}
