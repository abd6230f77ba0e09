import { z } from 'zod'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'
import { languageSchema } from '../debtors/debtor-fields.js'
import { scenarioDefinitionSchema } from '../engine/scenario-definition.js'

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true')

export const scenarioSchema = z
  .object({
    object: z.literal('scenario'),
    id: z.string().describe('scn_…'),
    name: z.string(),
    description: z.string().nullable(),
    language: z.string().describe('ISO 639-1 language the scenario was written for'),
    version: z.number().int().describe('The current version: what new cases start on; running cases keep theirs'),
    definition: scenarioDefinitionSchema.describe('The current version’s steps, event steps and send policy'),
    is_default: z.boolean().describe('Runs when no override and no assignment rule applies; exactly one per tenant'),
    preset: z.string().nullable().describe('The Relance default it was seeded from (e.g. standard_fr); null for your own'),
    archived_at: timestampSchema.nullable().describe('No new case starts on an archived scenario'),
    external_ref: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Scenario' })

export const scenarioVersionSchema = z
  .object({
    object: z.literal('scenario_version'),
    scenario_id: z.string(),
    version: z.number().int(),
    definition: scenarioDefinitionSchema,
    created_at: timestampSchema,
  })
  .meta({ id: 'ScenarioVersion' })

const nameSchema = z.string().trim().min(1).max(200)
const descriptionSchema = z.string().trim().min(1).max(2000)

export const createScenarioBody = z
  .strictObject({
    name: nameSchema,
    description: descriptionSchema.nullable().optional(),
    language: languageSchema.default('fr'),
    definition: scenarioDefinitionSchema,
    is_default: z.boolean().optional().describe('true makes it the tenant default (the previous default stops being it)'),
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'CreateScenario' })

/** Name, language and metadata change the scenario; a definition adds a version. */
export const updateScenarioBody = z
  .strictObject({
    name: nameSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    language: languageSchema.optional(),
    definition: scenarioDefinitionSchema.optional().describe('Creates version n+1 (unless identical to the current one)'),
    is_default: z.boolean().optional().describe('true makes it the tenant default; to move the default, set true on another scenario'),
    external_ref: externalRefSchema.nullable().optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'UpdateScenario' })

export const listScenariosQuery = listQuerySchema({
  language: languageSchema.optional(),
  is_default: booleanQuery.optional(),
  archived: booleanQuery.optional().describe('Only archived (true) or only active (false) scenarios; both when absent'),
  external_ref: z.string().max(255).optional(),
})

export const listVersionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1 to 100'),
  starting_after: z.coerce.number().int().min(1).optional().describe('Last version number of the previous page'),
})

export const versionParamsSchema = z.strictObject({
  id: z.string().min(1).max(64),
  version: z.coerce.number().int().min(1).max(2_147_483_647),
})

export const scenarioListSchema = listSchema(scenarioSchema)
export const scenarioVersionListSchema = listSchema(scenarioVersionSchema)

export type ScenarioDto = z.infer<typeof scenarioSchema>
export type ScenarioVersionDto = z.infer<typeof scenarioVersionSchema>
export type CreateScenarioInput = z.infer<typeof createScenarioBody>
export type UpdateScenarioInput = z.infer<typeof updateScenarioBody>
export type ListScenariosQuery = z.infer<typeof listScenariosQuery>
export type ListVersionsQuery = z.infer<typeof listVersionsQuery>
