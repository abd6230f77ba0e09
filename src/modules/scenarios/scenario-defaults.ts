import type { Tx } from '../../db/client.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { newId } from '../../shared/ids.js'
import { emitEvent, emitEvents } from '../events/events.service.js'
import { DEFAULT_SCENARIOS, type DefaultScenario } from '../engine/default-scenarios.js'
import { scenarioDefinitionSchema } from '../engine/scenario-definition.js'
import { toScenarioDto } from './scenarios.mapper.js'
import * as repo from './scenarios.repository.js'
import type { ScenarioDto } from './scenarios.schema.js'

/** The shipped scenario becomes the tenant default when the tenant has none. */
const DEFAULT_LANGUAGE = 'fr'

export const presetOf = (d: DefaultScenario) => `${d.key}_${d.language}`

/**
 * Seeds Relance's default scenarios (French and English) for a tenant, once: a preset seeded
 * before, even archived since, is not seeded again. When the tenant has no default, the French one
 * becomes it. Answers the tenant's shipped scenarios, in DEFAULT_SCENARIOS order. A fixed number
 * of statements, and serialised per tenant so two first requests at once seed once.
 */
export async function ensureDefaultScenarios(tx: Tx, tenantId: string): Promise<ScenarioDto[]> {
  await repo.lockTenantScenarios(tx, tenantId)
  const existing = await repo.findPresetsAndDefault(tx, tenantId)
  const hasDefault = existing.some((e) => e.scenario.isDefault)
  const byPreset = new Map(existing.filter((e) => e.scenario.preset).map((e) => [e.scenario.preset!, e]))
  const missing = DEFAULT_SCENARIOS.filter((d) => !byPreset.has(presetOf(d)))
  const created = await repo.insertScenarios(
    tx,
    missing.map((d) => ({
      row: {
        tenantId,
        scenarioId: newId('scenario'),
        name: d.name,
        description: d.description,
        language: d.language,
        preset: presetOf(d),
        isDefault: !hasDefault && d.language === DEFAULT_LANGUAGE,
      },
      // Stored as the API would store it: checked, with every default spelled out.
      definition: scenarioDefinitionSchema.parse(d.definition),
    })),
  )
  for (const c of created) byPreset.set(c.scenario.preset!, c)
  await emitEvents(tx, tenantId, created.map((c) => ({ type: 'scenario.created' as const, objectId: c.scenario.scenarioId, object: toScenarioDto(c) })))
  const french = DEFAULT_SCENARIOS.find((d) => d.language === DEFAULT_LANGUAGE)
  const fallback = french && byPreset.get(presetOf(french))
  // The services never leave a tenant with scenarios but no default; should one be (rows edited
  // by hand), the French preset takes the role back rather than resolution failing.
  if (!hasDefault && fallback && !fallback.scenario.isDefault && !fallback.scenario.archivedAt) {
    fallback.scenario = await repo.updateScenario(tx, tenantId, fallback.scenario.scenarioId, { isDefault: true })
    await emitEvent(tx, tenantId, { type: 'scenario.updated', objectId: fallback.scenario.scenarioId, object: toScenarioDto(fallback) })
  }
  return DEFAULT_SCENARIOS.flatMap((d) => {
    const found = byPreset.get(presetOf(d))
    return found ? [toScenarioDto(found)] : []
  })
}

/** POST /v1/scenarios/defaults: the shipped scenarios as a list page. */
export async function seedDefaultScenarios(tx: Tx, principal: Principal) {
  return { object: 'list' as const, data: await ensureDefaultScenarios(tx, requireTenant(principal)), has_more: false }
}
