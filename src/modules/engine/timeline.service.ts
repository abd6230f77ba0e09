import { z } from 'zod'
import type { Tx } from '../../db/client.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { notFound } from '../../shared/errors.js'
import { findDebtor } from '../debtors/debtors.repository.js'
import { tenantNow } from '../test-clocks/test-clocks.service.js'
import { planInput } from './decide.js'
import { collectableInvoicesOf, loadDebtorFacts } from './engine.repository.js'
import { scenariosFor } from './evaluator.js'
import { planTimeline } from './planner.js'

export const timelineSchema = z
  .object({
    object: z.literal('timeline'),
    debtor_id: z.string(),
    as_of: z.string().describe("The tenant's now (its test clock when attached)"),
    until: z.string(),
    entries: z.array(
      z.object({
        invoice_id: z.string(),
        scenario_id: z.string(),
        scenario_version: z.number().int(),
        step_key: z.string(),
        channel: z.string(),
        template: z.string(),
        at: z.string().describe('When the step would go if nothing changes'),
        due: z.boolean().describe('Due now: the next engine pass sends it'),
      }),
    ),
  })
  .meta({ id: 'DebtorTimeline' })

export type TimelineDto = z.infer<typeof timelineSchema>

/**
 * What the engine would send a debtor from now until `days` ahead if nothing changed (no payment,
 * no hold), computed by the same planner the engine runs. Nothing is sent or stored.
 */
export async function debtorTimeline(tx: Tx, principal: Principal, debtorId: string, days: number): Promise<TimelineDto> {
  const tenantId = requireTenant(principal)
  if (!(await findDebtor(tx, tenantId, debtorId))) throw notFound('debtor', debtorId)
  const now = await tenantNow(tx, tenantId)
  const until = new Date(now.getTime() + days * 86_400_000)
  const invoices = await collectableInvoicesOf(tx, tenantId, debtorId)
  const facts = await loadDebtorFacts(tx, invoices.length ? invoices : [{ tenant_id: tenantId, debtor_id: debtorId }], now, false)
  const scenarios = await scenariosFor(tx, invoices, facts)
  const debtor = facts.get(`${tenantId}/${debtorId}`)!
  const entries = invoices.flatMap((inv) => {
    const scenario = scenarios.get(`${tenantId}/${inv.invoice_id}`)
    if (!scenario) return []
    return planTimeline(planInput(inv, debtor, scenario.definition, now, debtor.contacts), until).map((step) => ({
      invoice_id: inv.invoice_id,
      scenario_id: scenario.scenarioId,
      scenario_version: scenario.version,
      step_key: step.stepKey,
      channel: step.channel,
      template: step.template,
      at: step.at.toISOString(),
      due: step.due,
    }))
  })
  entries.sort((a, b) => a.at.localeCompare(b.at) || a.invoice_id.localeCompare(b.invoice_id))
  return { object: 'timeline', debtor_id: debtorId, as_of: now.toISOString(), until: until.toISOString(), entries }
}
