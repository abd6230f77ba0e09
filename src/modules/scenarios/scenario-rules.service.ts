import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { assertIfMatch } from '../../platform/etag.js'
import { AppError, notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import * as repo from './scenario-rules.repository.js'
import type { CreateScenarioRuleInput, ListScenarioRulesQuery, ScenarioRuleDto, UpdateScenarioRuleInput } from './scenario-rules.schema.js'
import { sortKeys } from './scenarios.mapper.js'
import { findScenario } from './scenarios.repository.js'

export function toRuleDto(row: repo.RuleRow): ScenarioRuleDto {
  return {
    object: 'scenario_rule',
    id: row.ruleId,
    priority: row.priority,
    scenario_id: row.scenarioId,
    conditions: sortKeys(row.conditions),
    external_ref: row.externalRef,
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

/**
 * The scenario a rule or a debtor names must be this tenant's (another tenant's is a 404 naming the
 * field) and active. Share-locked so it cannot be archived while the row pointing at it is written.
 */
export async function assertAssignable(tx: Tx, tenantId: string, scenarioId: string): Promise<void> {
  const found = await findScenario(tx, tenantId, scenarioId, 'share')
  if (!found) {
    throw new AppError('not_found', `No scenario with id ${scenarioId}`, [{ path: 'body.scenario_id', message: 'No such scenario' }])
  }
  if (found.scenario.archivedAt) {
    throw new AppError('unprocessable', `Scenario ${scenarioId} is archived.`, [
      { path: 'body.scenario_id', message: 'Archived scenarios cannot be assigned' },
    ])
  }
}

export async function createRule(tx: Tx, principal: Principal, input: CreateScenarioRuleInput): Promise<ScenarioRuleDto> {
  const tenantId = requireTenant(principal)
  await assertAssignable(tx, tenantId, input.scenario_id)
  const row = await uniqueExternalRef('scenario rule', input.external_ref, () =>
    repo.insertRule(tx, {
      tenantId,
      ruleId: newId('scenarioRule'),
      priority: input.priority,
      scenarioId: input.scenario_id,
      conditions: input.conditions,
      externalRef: input.external_ref ?? null,
      metadata: input.metadata ?? {},
    }),
  )
  return toRuleDto(row)
}

export async function getRule(tx: Tx, principal: Principal, ruleId: string): Promise<ScenarioRuleDto> {
  const row = await repo.findRule(tx, requireTenant(principal), ruleId)
  if (!row) throw notFound('scenario rule', ruleId)
  return toRuleDto(row)
}

export async function listRules(tx: Tx, principal: Principal, query: ListScenarioRulesQuery) {
  const rows = await repo.listRules(tx, requireTenant(principal), {
    limit: query.limit,
    startingAfter: query.starting_after,
    scenarioId: query.scenario_id,
  })
  return page(rows.map(toRuleDto), query.limit)
}

export async function updateRule(
  tx: Tx,
  principal: Principal,
  ruleId: string,
  input: UpdateScenarioRuleInput,
  ifMatch?: string,
): Promise<ScenarioRuleDto> {
  const tenantId = requireTenant(principal)
  const current = await repo.findRule(tx, tenantId, ruleId, true)
  if (!current) throw notFound('scenario rule', ruleId)
  assertIfMatch(ifMatch, toRuleDto(current))
  if (input.scenario_id !== undefined && input.scenario_id !== current.scenarioId) await assertAssignable(tx, tenantId, input.scenario_id)
  const row = await uniqueExternalRef('scenario rule', input.external_ref, () =>
    repo.updateRule(tx, tenantId, ruleId, {
      ...(input.priority !== undefined && { priority: input.priority }),
      ...(input.scenario_id !== undefined && { scenarioId: input.scenario_id }),
      ...(input.conditions !== undefined && { conditions: input.conditions }),
      ...(input.external_ref !== undefined && { externalRef: input.external_ref }),
      ...(input.metadata !== undefined && { metadata: input.metadata }),
    }),
  )
  return toRuleDto(row)
}

export async function deleteRule(tx: Tx, principal: Principal, ruleId: string) {
  if (!(await repo.deleteRule(tx, requireTenant(principal), ruleId))) throw notFound('scenario rule', ruleId)
  return { object: 'scenario_rule' as const, id: ruleId, deleted: true as const }
}
