import type { ChannelOption, EventStep, ScenarioDefinition, ScenarioStep } from './scenario-definition.js'

/**
 * The scenario every new tenant starts with, in French and English. Both run the same ladder
 * (friendly → firm → call → letter → formal notice → litigation); only names differ, as the
 * template keys are rendered in the debtor's language by the templates module.
 */

export type ScenarioLanguage = 'fr' | 'en'

export interface DefaultScenario {
  key: string
  language: ScenarioLanguage
  name: string
  description: string
  definition: ScenarioDefinition
}

function email(template: string): ChannelOption[] {
  return [{ channel: 'email', template }]
}

function step(
  key: string,
  offset_days: number,
  channels: ChannelOption[],
  extra: Partial<ScenarioStep> = {},
): ScenarioStep {
  return { key, anchor: 'due_date', offset_days, channels, conditions: {}, business_days_only: true, ...extra }
}

const STEPS: ScenarioStep[] = [
  step('courtesy_notice', -5, email('reminder_courteous')),
  step('first_reminder', 1, email('reminder_first')),
  step('firm_reminder', 10, email('reminder_firm')),
  step('call', 15, [{ channel: 'call_task', template: 'call_script' }]),
  step('simple_letter', 25, [{ channel: 'letter', template: 'letter_simple' }]),
  // Mise en demeure: an eIDAS-qualified LRE is worth an LRAR (art. L100 CPCE) and is cheaper and
  // faster, but a consumer must have agreed to receive one; everyone else gets the postal LRAR.
  step('formal_notice', 35, [
    { channel: 'registered_email', template: 'formal_notice', requires_lre_consent: true },
    { channel: 'registered_letter', template: 'formal_notice' },
  ]),
  // 15 days after the formal notice (so +50 when nothing slipped): the notice gives the debtor
  // time to answer, and a backlog caught up late must not send both in one week.
  // The threshold is per tenant and per currency in practice; 0 ships as "always", to be raised.
  step('litigation', 15, [{ channel: 'litigation_handoff', template: 'litigation_handoff' }], {
    anchor: 'previous_step',
    conditions: { min_overdue_amount: 0 },
  }),
]

const EVENT_STEPS: EventStep[] = [
  { trigger: 'paid_after_dunning', channels: email('thank_you') },
  { trigger: 'promise_confirmed', channels: email('promise_confirmation') },
  { trigger: 'promise_broken', channels: email('promise_broken') },
  { trigger: 'instalment_missed', channels: email('instalment_missed') },
]

/**
 * Five contacts per 30 days: a weekend can push the −5 notice to −3, and then −3 … +25 puts five
 * contacts of the ladder itself within 30 days; a lower cap would delay a lone debt's letter by
 * weeks. The cap bites when several debts of one debtor run side by side.
 */
const standardDefinition = (): ScenarioDefinition => ({
  steps: structuredClone(STEPS),
  event_steps: structuredClone(EVENT_STEPS),
  send_policy: {
    window_start: '09:00',
    window_end: '18:00',
    weekdays: [1, 2, 3, 4, 5],
    min_gap_days: 3,
    max_contacts: 5,
    period_days: 30,
    grouping: 'per_debtor',
  },
})

export const DEFAULT_SCENARIOS: readonly DefaultScenario[] = [
  {
    key: 'standard',
    language: 'fr',
    name: 'Relance standard',
    description:
      "Rappel courtois 5 jours avant l'échéance, relances par e-mail à J+1 et J+10, appel à J+15, " +
      'courrier simple à J+25, mise en demeure à J+35 (LRE, ou LRAR pour un particulier sans ' +
      'consentement), transmission au contentieux à J+50.',
    definition: standardDefinition(),
  },
  {
    key: 'standard',
    language: 'en',
    name: 'Standard collection',
    description:
      'Courtesy reminder 5 days before the due date, email reminders the day after and at +10 days, ' +
      'a call at +15, a letter at +25, formal notice at +35 (electronic registered letter, or postal ' +
      'registered letter for a consumer who did not consent), litigation hand-off at +50.',
    definition: standardDefinition(),
  },
]

/** The default scenario in `language`. */
export function defaultScenario(language: ScenarioLanguage): DefaultScenario {
  const found = DEFAULT_SCENARIOS.find((s) => s.language === language)
  if (!found) throw new Error(`No default scenario in ${language}`)
  return found
}
