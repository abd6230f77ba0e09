import { z } from 'zod'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'
import { EVENT_TYPES } from './event-catalogue.js'

const eventFilter = z
  .array(z.enum(['*', ...EVENT_TYPES]))
  .min(1)
  .max(100)
  .describe('Event types this endpoint receives; `*` for all of them (test events always reach the endpoint they test)')

export const webhookEndpointSchema = z
  .object({
    object: z.literal('webhook_endpoint'),
    id: z.string().describe('we_…'),
    url: z.string(),
    description: z.string().nullable(),
    enabled_events: z.array(z.string()),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable().describe('Why Relance disabled it (HTTP 410, or failing for 5 days); null when you did or it is enabled'),
    secret: z.string().optional().describe('whsec_… signing secret: in the answer to creation and rotation only'),
    previous_secret_expires_at: timestampSchema.nullable().describe('Until then the previous secret signs too (rotation overlap)'),
    external_ref: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'WebhookEndpoint' })

const urlSchema = z.string().min(1).max(2048).describe('Where events are POSTed; https in production; private and loopback addresses are refused')

export const createWebhookEndpointBody = z
  .strictObject({
    url: urlSchema,
    enabled_events: eventFilter,
    description: z.string().max(500).optional(),
    enabled: z.boolean().optional(),
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'CreateWebhookEndpoint' })

export const updateWebhookEndpointBody = z
  .strictObject({
    url: urlSchema.optional(),
    enabled_events: eventFilter.optional(),
    description: z.string().max(500).nullable().optional(),
    enabled: z.boolean().optional().describe('true re-enables an endpoint Relance disabled'),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'UpdateWebhookEndpoint' })

export const rotateSecretBody = z
  .strictObject({
    overlap_seconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(86_400)
      .describe('How long the previous secret keeps signing next to the new one (default 24 h)'),
  })
  .meta({ id: 'RotateWebhookSecret' })

export const recoverBody = z
  .strictObject({ since: z.iso.datetime({ offset: true }).describe('Re-send every delivery to this endpoint that failed and was created since then') })
  .meta({ id: 'RecoverWebhookDeliveries' })

export const recoverResultSchema = z
  .object({ object: z.literal('webhook_recovery'), endpoint_id: z.string(), requeued: z.number().int() })
  .meta({ id: 'WebhookRecovery' })

export const testResultSchema = z
  .object({ object: z.literal('webhook_test'), endpoint_id: z.string(), event_id: z.string() })
  .meta({ id: 'WebhookTest' })

export const deliveryAttemptSchema = z
  .object({
    object: z.literal('webhook_delivery_attempt'),
    id: z.string().describe('wha_…'),
    delivery_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    attempt: z.number().int().describe('1 for the first attempt of the delivery'),
    succeeded: z.boolean(),
    status_code: z.number().int().nullable().describe('null when no HTTP answer came (refused address, timeout, connection error)'),
    latency_ms: z.number().int(),
    response_body: z.string().nullable().describe('The first 1 KB of the answer'),
    error: z.string().nullable(),
    delivery_status: z.enum(['pending', 'succeeded', 'failed']).describe('Where the delivery stands now'),
    created_at: timestampSchema,
  })
  .meta({ id: 'WebhookDeliveryAttempt' })

export const listEndpointsQuery = listQuerySchema({})
export const listAttemptsQuery = listQuerySchema({
  event_id: z.string().max(64).optional(),
  succeeded: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
})
export const endpointListSchema = listSchema(webhookEndpointSchema)
export const attemptListSchema = listSchema(deliveryAttemptSchema)

export type WebhookEndpointDto = z.infer<typeof webhookEndpointSchema>
export type CreateWebhookEndpointInput = z.infer<typeof createWebhookEndpointBody>
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointBody>
export type DeliveryAttemptDto = z.infer<typeof deliveryAttemptSchema>
