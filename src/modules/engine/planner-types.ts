import type { Channel, DEBTOR_KINDS, ScenarioDefinition } from './scenario-definition.js'

export type DebtorKind = (typeof DEBTOR_KINDS)[number]
export type PlannerInvoiceStatus = 'open' | 'partially_paid' | 'paid' | 'disputed' | 'cancelled' | 'written_off'
export type StepOutcome = 'delivered' | 'not_delivered'

/**
 * Everything the planner looks at, passed in by the caller (the set-based evaluator reads it from
 * SQL, previews build it by hand). Instants are Dates; calendar dates are 'YYYY-MM-DD' strings.
 */
export interface PlanInput {
  /** The scenario version the invoice runs, already parsed by scenarioDefinitionSchema. */
  scenario: ScenarioDefinition
  invoice: {
    dueDate: string
    /** What is left to pay, in minor units of `currency` (after payments and credit notes). */
    amountDue: number
    currency: string
    status: PlannerInvoiceStatus
    /** Index in scenario.steps of the last step done, -1 before the first. */
    lastStepIndex: number
    /** When the last step was done (its dispatch's scheduled instant); null before the first. */
    lastStepAt: Date | null
    /** Delivery outcome of the last step when known; null before the first step or while unknown. */
    lastStepOutcome: StepOutcome | null
  }
  debtor: {
    kind: DebtorKind
    segment: string | null
    /** ISO 3166-1 alpha-2; its public holidays are not business days. */
    country: string
    /** IANA time zone the send window is read in, e.g. Europe/Paris. */
    timezone: string
    /** Consent to electronic registered mail (art. L100 CPCE); only consumers need it. */
    lreConsent: boolean
  }
  stops: {
    /** An active hold (dispute, promise, manual, legal) on this invoice or its debtor. */
    onHold: boolean
    /** The invoice is in a payment plan whose instalments are up to date. */
    currentPaymentPlan: boolean
  }
  /** Contacts of this debtor across all its invoices (dispatches other than litigation hand-offs). */
  contacts: {
    lastContactAt: Date | null
    /** Contacts made after now − send_policy.period_days × 24 h. */
    inPeriod: number
  }
  now: Date
}

export type StopReason = 'paid' | 'cancelled' | 'written_off' | 'disputed' | 'on_hold' | 'payment_plan' | 'nothing_due'

export interface PlannedStep {
  action: 'step'
  stepIndex: number
  stepKey: string
  channel: Channel
  template: string
  /** When the step goes: never before its date, `now`, the min gap or the contact cap, inside the window. */
  at: Date
  /** True when `at` has come (at <= now): the step can be dispatched now. */
  due: boolean
}

export type PlanResult = { action: 'stop'; reason: StopReason } | { action: 'done' } | PlannedStep
