import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { newId } from '../../shared/ids.js'
import { resolveScenario } from '../scenarios/scenario-resolution.js'
import { loadScenarioVersions, versionKey } from '../scenarios/scenario-versions.service.js'
import type { NewDispatch } from './decide.js'
import { chooseChannel } from './planner.js'
import type { EventTrigger, ScenarioDefinition } from './scenario-definition.js'
import { nextSendInstant } from './send-window.js'
import { storeDispatches } from './store-dispatches.js'

/** Something that happened to a debtor that its scenario may answer with a message. */
export interface DunningEvent {
  tenantId: string
  debtorId: string
  trigger: Exclude<EventTrigger, 'paid_after_dunning'>
  /** The hold or plan the event is about: one message per source and trigger, ever. */
  sourceId: string
  /** 'open': every invoice of the debtor still owed (a promise or hold on the whole account). */
  invoiceIds: string[] | 'open'
  now: Date
}

type Subject = {
  invoice_id: string
  case_id: string | null
  currency: string
  amount_due: number
  dunning_scenario_id: string | null
  dunning_version: number | null
  kind: 'business' | 'consumer' | 'public_body'
  segment: string | null
  debtor_scenario_id: string | null
  language: string
  country: string
  timezone: string
  lre_consent: boolean
}

async function loadSubjects(tx: Tx, event: DunningEvent): Promise<Subject[]> {
  const result = await tx.execute<Subject>(sql`
    select i.invoice_id, i.case_id, i.currency, (i.amount_total - i.amount_paid - i.amount_credited)::int as amount_due,
           i.dunning_scenario_id, i.dunning_version,
           d.kind, d.segment, d.scenario_id as debtor_scenario_id, d.language, d.country, d.timezone,
           (d.kind <> 'consumer' or d.lre_consent_on is not null) as lre_consent
    from invoices i join debtors d on d.tenant_id = i.tenant_id and d.debtor_id = i.debtor_id
    where i.tenant_id = ${event.tenantId} and i.debtor_id = ${event.debtorId}
      and ${event.invoiceIds === 'open' ? sql`i.status in ('open', 'partially_paid')` : sql`i.invoice_id = any(${sql.param(event.invoiceIds)}::text[])`}
    order by i.invoice_id`)
  return result.rows
}

/** The version the debt runs on when it is already chased, else the one assignment picks now. */
async function scenarioOf(tx: Tx, tenantId: string, s: Subject): Promise<{ id: string; version: number; definition: ScenarioDefinition }> {
  if (s.dunning_scenario_id && s.dunning_version) {
    const ref = { tenantId, scenarioId: s.dunning_scenario_id, version: s.dunning_version }
    const definition = (await loadScenarioVersions(tx, [ref])).get(versionKey(ref))
    if (definition) return { id: ref.scenarioId, version: ref.version, definition }
  }
  const resolved = await resolveScenario(tx, tenantId, {
    debtor: { scenarioId: s.debtor_scenario_id, segment: s.segment, kind: s.kind },
    amount: s.amount_due,
    currency: s.currency,
  })
  return { id: resolved.scenarioId, version: resolved.version, definition: resolved.definition }
}

/**
 * Queues the scenario's answer to a promise confirmed or broken, or an instalment missed: one
 * message to the debtor covering the invoices concerned, in the send window, through the first
 * channel the debtor qualifies for. Runs in the transaction that records the event, and is
 * unique per (case, trigger:source), so a retried job or request never queues it twice.
 */
export async function queueEventSteps(tx: Tx, events: DunningEvent[]): Promise<number> {
  const planned: NewDispatch[] = []
  for (const event of events) {
    const subjects = await loadSubjects(tx, event)
    const first = subjects[0]
    if (!first) continue
    const scenario = await scenarioOf(tx, event.tenantId, first)
    const step = scenario.definition.event_steps.find((e) => e.trigger === event.trigger)
    const option = step && chooseChannel(step.channels, { kind: first.kind, lreConsent: first.lre_consent })
    if (!option) continue
    const policy = scenario.definition.send_policy
    planned.push({
      tenantId: event.tenantId,
      dispatchId: newId('dispatch', event.now.getTime()),
      debtorId: event.debtorId,
      stepKey: `${event.trigger}:${event.sourceId}`,
      channel: option.channel,
      template: option.template,
      language: first.language,
      scenarioId: scenario.id,
      version: scenario.version,
      scheduledAt: nextSendInstant(event.now, policy, first.timezone, first.country, true),
      // A debt not chased yet has no case: the event's source stands in, keeping the message unique.
      items: subjects.map((s) => ({ invoiceId: s.invoice_id, caseId: s.case_id ?? event.sourceId })),
    })
  }
  // Stored with their dunning.step_due events, as the engine stores its own.
  return (await storeDispatches(tx, planned)).length
}
