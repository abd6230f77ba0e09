import { newId } from '../../shared/ids.js'
import type { DebtorFacts, DueInvoice, InvoiceAdvance } from './engine.repository.js'
import { chooseChannel, isDebtorContact, planNextAction } from './planner.js'
import { nextSendInstant } from './send-window.js'
import type { PlanInput, PlanResult } from './planner-types.js'
import type { Channel, ScenarioDefinition } from './scenario-definition.js'

export interface PlannedScenario {
  scenarioId: string
  version: number
  definition: ScenarioDefinition
}

/** A message to create: one debtor, one step, one channel, the invoices it covers. */
export interface NewDispatch {
  tenantId: string
  dispatchId: string
  debtorId: string
  stepKey: string
  channel: Channel
  template: string
  language: string
  scenarioId: string
  version: number
  scheduledAt: Date
  items: { invoiceId: string; caseId: string }[]
  /** Already queued by an earlier chunk or pass: only new items are added to it. */
  existing?: boolean
}

export interface Decisions {
  advances: InvoiceAdvance[]
  dispatches: NewDispatch[]
}

const THANK_YOU = 'thank_you'

export function planInput(inv: DueInvoice, facts: DebtorFacts, definition: ScenarioDefinition, now: Date, contacts: Date[]): PlanInput {
  const periodStart = now.getTime() - definition.send_policy.period_days * 86_400_000
  const last = contacts.reduce<Date | null>((latest, c) => (!latest || c > latest ? c : latest), null)
  return {
    scenario: definition,
    invoice: {
      dueDate: inv.due_date,
      amountDue: inv.amount_due,
      currency: inv.currency,
      status: inv.status,
      lastStepIndex: inv.dunning_step,
      lastStepAt: inv.dunning_step_at,
      lastStepOutcome: inv.dunning_outcome,
    },
    debtor: { kind: facts.kind, segment: facts.segment, country: facts.country, timezone: facts.timezone, lreConsent: facts.lre_consent },
    stops: { onHold: facts.on_hold || facts.held_invoices.includes(inv.invoice_id), currentPaymentPlan: facts.planned_invoices.includes(inv.invoice_id) },
    contacts: { lastContactAt: last, inPeriod: contacts.filter((c) => c.getTime() > periodStart).length },
    now,
  }
}

/**
 * Turns claimed invoices into dispatches and new dunning states. Pure apart from id generation:
 * the planner decides, this groups (one message per debtor, step and channel unless the scenario
 * says per invoice) and keeps the debtor's contact history current within the chunk so the gap
 * and cap rules hold across invoices of one debtor.
 */
export function decide(
  invoices: DueInvoice[],
  facts: Map<string, DebtorFacts>,
  scenarios: Map<string, PlannedScenario>,
  now: Date,
): Decisions {
  const advances: InvoiceAdvance[] = []
  const groups = new Map<string, NewDispatch>()
  // The first message of each debtor and step, whatever its channel: what a late step may join.
  const firstOfStep = new Map<string, NewDispatch>()
  const addGroup = (key: string, dispatch: NewDispatch) => {
    const step = `${dispatch.tenantId}/${dispatch.debtorId}/${dispatch.stepKey}`
    const replaced = groups.get(key)
    if (!firstOfStep.has(step) || (replaced && firstOfStep.get(step) === replaced)) firstOfStep.set(step, dispatch)
    groups.set(key, dispatch)
  }
  const contactsOf = new Map<string, Date[]>()

  for (const debtor of facts.values()) {
    for (const q of debtor.queued) {
      addGroup(`${debtor.tenant_id}/${debtor.debtor_id}/${q.step_key}/${q.channel}`, {
        tenantId: debtor.tenant_id,
        dispatchId: q.dispatch_id,
        debtorId: debtor.debtor_id,
        stepKey: q.step_key,
        channel: q.channel as Channel,
        template: q.template,
        language: debtor.language,
        scenarioId: q.scenario_id,
        version: q.version,
        scheduledAt: new Date(q.scheduled_at),
        items: [],
        existing: true,
      })
    }
  }

  for (const inv of invoices) {
    const debtorKey = `${inv.tenant_id}/${inv.debtor_id}`
    const debtor = facts.get(debtorKey)
    // Its debtor is being planned by another worker right now: leave the row due for the next pass.
    if (!debtor) continue
    const scenario = scenarios.get(`${inv.tenant_id}/${inv.invoice_id}`)
    const idle: InvoiceAdvance = {
      tenantId: inv.tenant_id,
      invoiceId: inv.invoice_id,
      nextActionAt: null,
      scenarioId: scenario?.scenarioId ?? inv.dunning_scenario_id,
      version: scenario?.version ?? inv.dunning_version,
      step: inv.dunning_step,
      stepAt: inv.dunning_step_at,
      caseId: inv.case_id,
    }
    if (!scenario) {
      advances.push(idle)
      continue
    }
    const contacts = contactsOf.get(debtorKey) ?? debtor.contacts
    const dispatchFor = (stepKey: string, channel: Channel, template: string, at: Date, caseId: string) => {
      const perInvoice = scenario.definition.send_policy.grouping === 'per_invoice'
      const key = `${debtorKey}/${stepKey}/${channel}${perInvoice ? `/${inv.invoice_id}` : ''}`
      let dispatch = groups.get(key)
      if (!dispatch) {
        dispatch = {
          tenantId: inv.tenant_id,
          dispatchId: newId('dispatch', now.getTime()),
          debtorId: inv.debtor_id,
          stepKey,
          channel,
          template,
          language: debtor.language,
          scenarioId: scenario.scenarioId,
          version: scenario.version,
          scheduledAt: at,
          items: [],
        }
        addGroup(key, dispatch)
        if (isDebtorContact(channel)) contactsOf.set(debtorKey, [...contacts, at])
      }
      dispatch.items.push({ invoiceId: inv.invoice_id, caseId })
    }

    const input = planInput(inv, debtor, scenario.definition, now, contacts)
    let result: PlanResult = planNextAction(input)
    // A message for the same step already planned for this debtor in this chunk: join it.
    if (result.action === 'step' && !result.due) {
      const joinable = firstOfStep.get(`${debtorKey}/${result.stepKey}`)
      const stepOnTime = joinable && planNextAction({ ...input, contacts: { lastContactAt: null, inPeriod: 0 } })
      if (joinable && stepOnTime?.action === 'step' && stepOnTime.due && scenario.definition.send_policy.grouping === 'per_debtor') {
        result = { ...result, channel: joinable.channel, template: joinable.template, at: joinable.scheduledAt, due: true }
      }
    }

    if (result.action === 'step' && result.due) {
      const caseId = inv.case_id ?? newId('dunningCase', now.getTime())
      dispatchFor(result.stepKey, result.channel, result.template, result.at, caseId)
      const done = { ...inv, dunning_step: result.stepIndex, dunning_step_at: result.at, dunning_outcome: null }
      const next = planNextAction(planInput(done, debtor, scenario.definition, now, contactsOf.get(debtorKey) ?? contacts))
      advances.push({
        ...idle,
        step: result.stepIndex,
        stepAt: result.at,
        caseId,
        nextActionAt: next.action === 'step' ? next.at : null,
      })
    } else if (result.action === 'step') {
      advances.push({ ...idle, nextActionAt: result.at })
    } else if (result.action === 'stop' && result.reason === 'paid' && inv.dunning_step >= 0 && inv.case_id) {
      // A debt that was chased and is now paid gets its thank-you once (unique per case and step).
      const thanks = scenario.definition.event_steps.find((e) => e.trigger === 'paid_after_dunning')
      const option = thanks && chooseChannel(thanks.channels, input.debtor)
      // In the send window like any message: a thank-you on a Sunday night reads as automated.
      const at = nextSendInstant(now, scenario.definition.send_policy, debtor.timezone, debtor.country, true)
      if (option) dispatchFor(THANK_YOU, option.channel, option.template, at, inv.case_id)
      advances.push(idle)
    } else {
      advances.push(idle)
    }
  }
  return { advances, dispatches: [...groups.values()].filter((d) => d.items.length) }
}
