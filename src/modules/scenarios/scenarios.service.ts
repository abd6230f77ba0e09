import type { Tx } from '../../db/client.js'
import { page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { assertIfMatch } from '../../platform/etag.js'
import { AppError, notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { emitEvent } from '../events/events.service.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import type { ScenarioDefinition } from '../engine/scenario-definition.js'
import { ensureDefaultScenarios } from './scenario-defaults.js'
import { ruleIdsOfScenario } from './scenario-rules.repository.js'
import { sortKeys, toScenarioDto } from './scenarios.mapper.js'
import * as repo from './scenarios.repository.js'
import type { CreateScenarioInput, ListScenariosQuery, ScenarioDto, UpdateScenarioInput } from './scenarios.schema.js'

async function load(tx: Tx, tenantId: string, scenarioId: string, lock?: 'update' | 'share') {
  const current = await repo.findScenario(tx, tenantId, scenarioId, lock)
  if (!current) throw notFound('scenario', scenarioId)
  return current
}

/**
 * A tenant always has exactly one default once it has any scenario. The first scenario made
 * without `is_default` comes with Relance's shipped ones (French as default) rather than becoming
 * the default itself: a scenario written for a few debtors must not silently run for all of them.
 */
export async function createScenario(tx: Tx, principal: Principal, input: CreateScenarioInput): Promise<ScenarioDto> {
  const tenantId = requireTenant(principal)
  await repo.lockTenantScenarios(tx, tenantId)
  if (input.is_default) await repo.clearDefault(tx, tenantId)
  else if (!(await repo.findAssignable(tx, tenantId, [])).length) await ensureDefaultScenarios(tx, tenantId)
  // After any seeding, so ids (and the newest-first lists) follow the order of creation.
  const scenarioId = newId('scenario')
  const [created] = await uniqueExternalRef('scenario', input.external_ref, () =>
    repo.insertScenarios(tx, [
      {
        row: {
          tenantId,
          scenarioId,
          name: input.name,
          description: input.description ?? null,
          language: input.language,
          isDefault: input.is_default ?? false,
          externalRef: input.external_ref ?? null,
          metadata: input.metadata ?? {},
        },
        definition: input.definition,
      },
    ]),
  )
  const dto = toScenarioDto(created!)
  await emitEvent(tx, tenantId, { type: 'scenario.created', objectId: scenarioId, object: dto })
  return dto
}

export async function getScenario(tx: Tx, principal: Principal, scenarioId: string): Promise<ScenarioDto> {
  return toScenarioDto(await load(tx, requireTenant(principal), scenarioId))
}

export async function listScenarios(tx: Tx, principal: Principal, query: ListScenariosQuery) {
  const rows = await repo.listScenarios(tx, requireTenant(principal), {
    limit: query.limit,
    startingAfter: query.starting_after,
    language: query.language,
    isDefault: query.is_default,
    archived: query.archived,
    externalRef: query.external_ref,
  })
  return page(rows.map(toScenarioDto), query.limit)
}

const sameDefinition = (a: ScenarioDefinition, b: ScenarioDefinition) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))

export async function updateScenario(
  tx: Tx,
  principal: Principal,
  scenarioId: string,
  input: UpdateScenarioInput,
  ifMatch?: string,
): Promise<ScenarioDto> {
  const tenantId = requireTenant(principal)
  // Taken before the row lock, in the same order as createScenario, so the two never deadlock.
  if (input.is_default) await repo.lockTenantScenarios(tx, tenantId)
  const current = await load(tx, tenantId, scenarioId, 'update')
  assertIfMatch(ifMatch, toScenarioDto(current))
  const { scenario } = current
  if (scenario.archivedAt) throw new AppError('unprocessable', `Scenario ${scenarioId} is archived; archived scenarios are read-only.`)
  if (input.is_default === false && scenario.isDefault) {
    throw new AppError('unprocessable', 'A tenant always has one default scenario: set is_default on another scenario to move it.', [
      { path: 'body.is_default', message: 'Set is_default: true on another scenario instead' },
    ])
  }
  let { definition } = current
  let version = scenario.currentVersion
  // An identical definition adds no version: a caller syncing the same content stays on one.
  if (input.definition && !sameDefinition(input.definition, definition)) {
    version += 1
    definition = input.definition
    await repo.insertVersion(tx, tenantId, scenarioId, version, definition)
  }
  if (input.is_default && !scenario.isDefault) await repo.clearDefault(tx, tenantId)
  const row = await uniqueExternalRef('scenario', input.external_ref, () =>
    repo.updateScenario(tx, tenantId, scenarioId, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.language !== undefined && { language: input.language }),
      ...(input.is_default && { isDefault: true }),
      ...(input.external_ref !== undefined && { externalRef: input.external_ref }),
      ...(input.metadata !== undefined && { metadata: input.metadata }),
      currentVersion: version,
    }),
  )
  const dto = toScenarioDto({ scenario: row, definition })
  await emitEvent(tx, tenantId, { type: 'scenario.updated', objectId: scenarioId, object: dto })
  return dto
}

/**
 * No new case starts on an archived scenario; cases already on it keep running their version.
 * The default, and a scenario rules still assign, stay: archiving them would silently re-route debtors.
 */
export async function archiveScenario(tx: Tx, principal: Principal, scenarioId: string): Promise<ScenarioDto> {
  const tenantId = requireTenant(principal)
  const current = await load(tx, tenantId, scenarioId, 'update')
  if (current.scenario.archivedAt) return toScenarioDto(current)
  if (current.scenario.isDefault) {
    throw new AppError('unprocessable', 'The tenant default cannot be archived: make another scenario the default first.')
  }
  const rules = await ruleIdsOfScenario(tx, tenantId, scenarioId)
  if (rules.length) {
    throw new AppError('unprocessable', `Assignment rules still assign this scenario (${rules.join(', ')}): delete or change them first.`)
  }
  const row = await repo.updateScenario(tx, tenantId, scenarioId, { archivedAt: new Date() })
  const dto = toScenarioDto({ scenario: row, definition: current.definition })
  await emitEvent(tx, tenantId, { type: 'scenario.updated', objectId: scenarioId, object: dto })
  return dto
}
