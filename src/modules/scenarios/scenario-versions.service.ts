import type { Tx } from '../../db/client.js'
import { page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { AppError, notFound } from '../../shared/errors.js'
import { scenarioDefinitionSchema, type ScenarioDefinition } from '../engine/scenario-definition.js'
import * as repo from './scenario-versions.repository.js'
import { toVersionDto } from './scenarios.mapper.js'
import { findScenario } from './scenarios.repository.js'
import type { ListVersionsQuery, ScenarioVersionDto } from './scenarios.schema.js'

async function assertScenario(tx: Tx, tenantId: string, scenarioId: string) {
  if (!(await findScenario(tx, tenantId, scenarioId))) throw notFound('scenario', scenarioId)
}

export async function listVersions(tx: Tx, principal: Principal, scenarioId: string, query: ListVersionsQuery) {
  const tenantId = requireTenant(principal)
  await assertScenario(tx, tenantId, scenarioId)
  const rows = await repo.listVersions(tx, tenantId, scenarioId, { limit: query.limit, startingAfter: query.starting_after })
  return page(rows.map(toVersionDto), query.limit)
}

export async function getVersion(tx: Tx, principal: Principal, scenarioId: string, version: number): Promise<ScenarioVersionDto> {
  const tenantId = requireTenant(principal)
  const row = await repo.findVersion(tx, tenantId, scenarioId, version)
  if (row) return toVersionDto(row)
  await assertScenario(tx, tenantId, scenarioId)
  throw new AppError('not_found', `Scenario ${scenarioId} has no version ${version}`)
}

export type { VersionRef } from './scenario-versions.repository.js'

export const versionKey = (ref: repo.VersionRef) => `${ref.tenantId}/${ref.scenarioId}/${ref.version}`

/**
 * The definitions of the versions running cases are on, across tenants, keyed by versionKey: what
 * the engine plans with. One statement for any number; a reference that matches nothing is absent.
 */
export async function loadScenarioVersions(tx: Tx, refs: readonly repo.VersionRef[]): Promise<Map<string, ScenarioDefinition>> {
  const unique = [...new Map(refs.map((r) => [versionKey(r), r])).values()]
  const rows = await repo.findVersions(tx, unique)
  return new Map(
    rows.map((row) => {
      // As in resolution: fill defaults added since, keep the stored one if a stricter schema refuses it.
      const parsed = scenarioDefinitionSchema.safeParse(row.definition)
      return [versionKey(row), parsed.success ? parsed.data : row.definition]
    }),
  )
}
