import { sql } from 'drizzle-orm'
import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { objectColumns, tenantIsolation } from '../../db/columns.js'
import type { ScenarioDefinition } from '../engine/scenario-definition.js'
import type { RuleConditions } from './scenario-rules.conditions.js'

/**
 * A collection scenario. Its content lives in `scenario_versions`: this row holds what may change
 * without changing what running cases do (name, default flag, archive) and the current version.
 */
export const scenarios = pgTable(
  'scenarios',
  {
    tenantId: text('tenant_id').notNull(),
    scenarioId: text('scenario_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    language: text('language').notNull(),
    currentVersion: integer('current_version').notNull().default(1),
    isDefault: boolean('is_default').notNull().default(false),
    // Which shipped default this was seeded from ('relance_fr'…): seeding twice finds it, even archived.
    preset: text('preset'),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.scenarioId] }),
    uniqueIndex('scenarios_tenant_external_ref_key').on(t.tenantId, t.externalRef),
    uniqueIndex('scenarios_tenant_preset_key').on(t.tenantId, t.preset),
    // At most one default per tenant; the services keep it at exactly one once any scenario exists.
    uniqueIndex('scenarios_one_default_key').on(t.tenantId).where(sql`is_default`),
    tenantIsolation('scenarios'),
  ],
)

/** Immutable: an edit inserts version n+1, so a case keeps running the version it started on. */
export const scenarioVersions = pgTable(
  'scenario_versions',
  {
    tenantId: text('tenant_id').notNull(),
    scenarioId: text('scenario_id').notNull(),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<ScenarioDefinition>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.scenarioId, t.version] }),
    foreignKey({ columns: [t.tenantId, t.scenarioId], foreignColumns: [scenarios.tenantId, scenarios.scenarioId] }),
    tenantIsolation('scenario_versions'),
  ],
)

/** Which scenario a debtor's invoice runs when neither the invoice nor the debtor names one. */
export const scenarioAssignmentRules = pgTable(
  'scenario_assignment_rules',
  {
    tenantId: text('tenant_id').notNull(),
    ruleId: text('rule_id').notNull(),
    priority: integer('priority').notNull(),
    scenarioId: text('scenario_id').notNull(),
    conditions: jsonb('conditions').$type<RuleConditions>().notNull().default({}),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ruleId] }),
    uniqueIndex('scenario_assignment_rules_tenant_external_ref_key').on(t.tenantId, t.externalRef),
    index('scenario_assignment_rules_tenant_priority_idx').on(t.tenantId, t.priority, t.ruleId),
    index('scenario_assignment_rules_tenant_scenario_idx').on(t.tenantId, t.scenarioId),
    foreignKey({ columns: [t.tenantId, t.scenarioId], foreignColumns: [scenarios.tenantId, scenarios.scenarioId] }),
    tenantIsolation('scenario_assignment_rules'),
  ],
)
