import { z } from 'zod'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'
import { ruleConditionsSchema } from './scenario-rules.conditions.js'

const prioritySchema = z.number().int().min(0).max(1_000_000).describe('Lower runs first; equal priorities in creation order')
const scenarioIdSchema = z.string().min(1).max(64).describe('scn_… of this tenant, not archived')

export const scenarioRuleSchema = z
  .object({
    object: z.literal('scenario_rule'),
    id: z.string().describe('srl_…'),
    priority: z.number().int(),
    scenario_id: z.string(),
    conditions: ruleConditionsSchema,
    external_ref: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'ScenarioRule' })

export const createScenarioRuleBody = z
  .strictObject({
    priority: prioritySchema,
    scenario_id: scenarioIdSchema,
    conditions: ruleConditionsSchema.default({}),
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'CreateScenarioRule' })

export const updateScenarioRuleBody = z
  .strictObject({
    priority: prioritySchema.optional(),
    scenario_id: scenarioIdSchema.optional(),
    conditions: ruleConditionsSchema.optional().describe('Replaces the conditions as a whole'),
    external_ref: externalRefSchema.nullable().optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'UpdateScenarioRule' })

export const deletedScenarioRuleSchema = z
  .object({ object: z.literal('scenario_rule'), id: z.string(), deleted: z.literal(true) })
  .meta({ id: 'DeletedScenarioRule' })

export const listScenarioRulesQuery = listQuerySchema({
  scenario_id: z.string().max(64).optional(),
})
export const scenarioRuleListSchema = listSchema(scenarioRuleSchema)

export type ScenarioRuleDto = z.infer<typeof scenarioRuleSchema>
export type CreateScenarioRuleInput = z.infer<typeof createScenarioRuleBody>
export type UpdateScenarioRuleInput = z.infer<typeof updateScenarioRuleBody>
export type ListScenarioRulesQuery = z.infer<typeof listScenarioRulesQuery>
