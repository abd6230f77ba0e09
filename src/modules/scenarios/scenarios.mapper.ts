import { iso } from '../../platform/api-schemas.js'
import type { VersionRow } from './scenario-versions.repository.js'
import type { CurrentScenario } from './scenarios.repository.js'
import type { ScenarioDto, ScenarioVersionDto } from './scenarios.schema.js'

/**
 * Object keys sorted at every level. jsonb hands keys back in its own order and a fresh input in
 * the caller's: sorted, one definition has one JSON text, so its ETag and equality checks are stable.
 */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T
  if (!value || typeof value !== 'object') return value
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)])) as T
}

export function toScenarioDto({ scenario, definition }: CurrentScenario): ScenarioDto {
  return {
    object: 'scenario',
    id: scenario.scenarioId,
    name: scenario.name,
    description: scenario.description,
    language: scenario.language,
    version: scenario.currentVersion,
    definition: sortKeys(definition),
    is_default: scenario.isDefault,
    preset: scenario.preset,
    archived_at: iso(scenario.archivedAt),
    external_ref: scenario.externalRef,
    metadata: scenario.metadata,
    created_at: iso(scenario.createdAt)!,
    updated_at: iso(scenario.updatedAt)!,
  }
}

export function toVersionDto(row: VersionRow): ScenarioVersionDto {
  return {
    object: 'scenario_version',
    scenario_id: row.scenarioId,
    version: row.version,
    definition: sortKeys(row.definition),
    created_at: iso(row.createdAt)!,
  }
}
