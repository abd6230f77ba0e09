import { z } from 'zod'
import { listQuerySchema, listSchema, timestampSchema } from '../../platform/api-schemas.js'
import { DELIVERY_STATUSES } from '../channels/channel-driver.js'
import { CHANNELS } from '../engine/scenario-definition.js'

export const proofSchema = z
  .object({
    object: z.literal('proof'),
    id: z.string().describe('prf_…'),
    dispatch_id: z.string(),
    kind: z.string().describe('deposit, sending, receipt, refusal, negligence, undelivered, scanned_ar, content'),
    filename: z.string(),
    content_type: z.string(),
    sha256: z.string(),
    size: z.number().int(),
    created_at: timestampSchema,
  })
  .meta({ id: 'Proof' })

export const dispatchSchema = z
  .object({
    object: z.literal('dispatch'),
    id: z.string().describe('dsp_…'),
    debtor_id: z.string(),
    invoice_ids: z.array(z.string()),
    step_key: z.string(),
    channel: z.enum(CHANNELS),
    template: z.string(),
    language: z.string(),
    scenario_id: z.string(),
    scenario_version: z.number().int(),
    status: z.enum(DELIVERY_STATUSES),
    scheduled_at: timestampSchema,
    sent_at: timestampSchema.nullable(),
    attempts: z.number().int(),
    connection_id: z.string().nullable(),
    driver: z.string().nullable(),
    provider_ref: z.string().nullable(),
    failure_code: z.string().nullable().describe("The provider's own error code when it refused"),
    failure_reason: z.string().nullable(),
    cost: z.object({ amount: z.number().int(), currency: z.string() }).nullable(),
    content: z.record(z.string(), z.unknown()).nullable().describe('What went out: subject, text, html; for letters the PDF sha256'),
    letter_sha256: z.string().nullable(),
    timeline: z
      .array(z.object({ status: z.string().nullable(), raw_status: z.string(), reason: z.string().nullable(), occurred_at: timestampSchema }))
      .optional()
      .describe('On a single dispatch: every status change, with the provider’s raw status'),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Dispatch' })

export const listDispatchesQuery = listQuerySchema({
  status: z.enum(DELIVERY_STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
  debtor_id: z.string().max(64).optional(),
  invoice_id: z.string().max(64).optional(),
  step_key: z.string().max(120).optional(),
  created_after: z.iso.datetime({ offset: true }).optional(),
  created_before: z.iso.datetime({ offset: true }).optional(),
})

export const dispatchListSchema = listSchema(dispatchSchema)
export const proofListSchema = listSchema(proofSchema)

export type DispatchDto = z.infer<typeof dispatchSchema>
export type ListDispatchesQuery = z.infer<typeof listDispatchesQuery>
