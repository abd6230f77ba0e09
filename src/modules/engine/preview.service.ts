import { sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Tx } from '../../db/client.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { addDays } from '../../shared/dates.js'
import { notFound } from '../../shared/errors.js'
import { definitionOf } from '../scenarios/scenario-resolution.js'
import { findScenario } from '../scenarios/scenarios.repository.js'
import { tenantNow } from '../test-clocks/test-clocks.service.js'
import { planInput } from './decide.js'
import { INVOICE_STATE, loadDebtorFacts, toDueInvoice, type DueInvoice } from './engine.repository.js'
import { scenariosFor } from './evaluator.js'
import { planTimeline } from './planner.js'
import type { ScenarioDefinition } from './scenario-definition.js'

const entrySchema = z.object({
  debtor_id: z.string().nullable().describe('null in the sample'),
  invoice_id: z.string().nullable().describe('null in the sample'),
  step_key: z.string(),
  channel: z.string(),
  template: z.string(),
  at: z.string(),
  due: z.boolean(),
})

export const scenarioPreviewSchema = z
  .object({
    object: z.literal('scenario_preview'),
    scenario_id: z.string(),
    scenario_version: z.number().int(),
    as_of: z.string(),
    until: z.string(),
    sample: z.array(entrySchema).describe('The ladder for one invoice of a French business falling due 5 days after as_of'),
    entries: z.array(entrySchema).describe('What this scenario would send to the open invoices it runs (or would run) for'),
    has_more: z.boolean().describe('More invoices run on this scenario than were previewed'),
  })
  .meta({ id: 'ScenarioPreview' })

export type ScenarioPreviewDto = z.infer<typeof scenarioPreviewSchema>

export const scenarioPreviewQuery = z.strictObject({
  as_of: z.iso.datetime({ offset: true }).optional().describe("Default: the tenant's now (its test clock when attached)"),
  days: z.coerce.number().int().min(1).max(400).default(90),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Invoices to preview'),
})

/** Invoices that run on the scenario now, or that have no case yet and may be assigned to it. */
async function candidateInvoices(tx: Tx, tenantId: string, scenarioId: string, limit: number): Promise<DueInvoice[]> {
  const result = await tx.execute<DueInvoice>(sql`
    select ${INVOICE_STATE} from invoices i
    where i.tenant_id = ${tenantId} and i.status in ('open', 'partially_paid')
      and (i.dunning_scenario_id = ${scenarioId} or i.dunning_scenario_id is null)
    order by i.due_date, i.invoice_id
    limit ${limit * 4}`)
  return result.rows.map(toDueInvoice)
}

function sampleLadder(definition: ScenarioDefinition, now: Date, until: Date) {
  const input = {
    scenario: definition,
    invoice: {
      dueDate: addDays(now.toISOString().slice(0, 10), 5),
      amountDue: 120_000,
      currency: 'EUR',
      status: 'open' as const,
      lastStepIndex: -1,
      lastStepAt: null,
      lastStepOutcome: null,
    },
    debtor: { kind: 'business' as const, segment: null, country: 'FR', timezone: 'Europe/Paris', lreConsent: true },
    stops: { onHold: false, currentPaymentPlan: false },
    contacts: { lastContactAt: null, inPeriod: 0 },
    now,
  }
  return planTimeline(input, until).map((s) => ({ debtor_id: null, invoice_id: null, step_key: s.stepKey, channel: s.channel, template: s.template, at: s.at.toISOString(), due: s.due }))
}

/**
 * A dry run of one scenario as of a chosen instant: its ladder on a sample invoice, and what it
 * would send to the tenant's open invoices that run on it (or would, once assigned), computed by
 * the planner the engine runs. Nothing is sent or stored.
 */
export async function previewScenario(
  tx: Tx,
  principal: Principal,
  scenarioId: string,
  query: z.infer<typeof scenarioPreviewQuery>,
): Promise<ScenarioPreviewDto> {
  const tenantId = requireTenant(principal)
  const current = await findScenario(tx, tenantId, scenarioId)
  if (!current) throw notFound('scenario', scenarioId)
  const now = query.as_of ? new Date(query.as_of) : await tenantNow(tx, tenantId)
  const until = new Date(now.getTime() + query.days * 86_400_000)
  const invoices = await candidateInvoices(tx, tenantId, scenarioId, query.limit)
  const facts = await loadDebtorFacts(tx, invoices, now, false)
  const scenarios = await scenariosFor(tx, invoices, facts)
  const mine = invoices.filter((i) => scenarios.get(`${tenantId}/${i.invoice_id}`)?.scenarioId === scenarioId)
  const entries = mine.slice(0, query.limit).flatMap((inv) => {
    const scenario = scenarios.get(`${tenantId}/${inv.invoice_id}`)!
    const debtor = facts.get(`${tenantId}/${inv.debtor_id}`)!
    return planTimeline(planInput(inv, debtor, scenario.definition, now, debtor.contacts), until).map((s) => ({
      debtor_id: inv.debtor_id,
      invoice_id: inv.invoice_id,
      step_key: s.stepKey,
      channel: s.channel,
      template: s.template,
      at: s.at.toISOString(),
      due: s.due,
    }))
  })
  entries.sort((a, b) => a.at.localeCompare(b.at) || a.invoice_id!.localeCompare(b.invoice_id!))
  return {
    object: 'scenario_preview',
    scenario_id: scenarioId,
    scenario_version: current.scenario.currentVersion,
    as_of: now.toISOString(),
    until: until.toISOString(),
    sample: sampleLadder(definitionOf(current), now, until),
    entries,
    has_more: mine.length > query.limit,
  }
}
