import { z } from 'zod'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'

export const testClockSchema = z
  .object({
    object: z.literal('test_clock'),
    id: z.string().describe('clk_…'),
    name: z.string(),
    frozen_time: timestampSchema.describe("The tenant's now while the clock is attached"),
    status: z.enum(['ready', 'advancing']),
    attached: z.boolean(),
    external_ref: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'TestClock' })

const instant = z.iso.datetime({ offset: true }).describe('RFC 3339 instant')

export const createTestClockBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).default('Test clock'),
    frozen_time: instant.describe('Where the clock starts (default: now)').optional(),
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'CreateTestClock' })

export const advanceTestClockBody = z
  .strictObject({ frozen_time: instant.describe('Later than the current frozen_time, at most 400 days later') })
  .meta({ id: 'AdvanceTestClock' })

export const listTestClocksQuery = listQuerySchema({})
export const testClockListSchema = listSchema(testClockSchema)

export type TestClockDto = z.infer<typeof testClockSchema>
export type CreateTestClockInput = z.infer<typeof createTestClockBody>
