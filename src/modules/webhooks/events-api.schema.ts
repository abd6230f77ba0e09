import { z } from 'zod'
import { listQuerySchema, listSchema, timestampSchema } from '../../platform/api-schemas.js'
import { EVENT_TYPES } from './event-catalogue.js'

export const EVENT_RETENTION_DAYS = 30

export const eventSchema = z
  .object({
    object: z.literal('event'),
    id: z.string().describe('evt_…; the webhook-id of its deliveries'),
    type: z.string(),
    created_at: timestampSchema,
    tenant_id: z.string(),
    object_id: z.string().describe('Id of the object the event is about'),
    data: z.object({ object: z.record(z.string(), z.unknown()) }),
  })
  .meta({ id: 'Event' })

export const listEventsQuery = listQuerySchema({
  type: z.enum(EVENT_TYPES).optional(),
  object_id: z.string().max(64).optional(),
  created_gte: z.iso.datetime({ offset: true }).optional().describe('Events created at or after this instant'),
  created_lt: z.iso.datetime({ offset: true }).optional().describe('Events created before this instant'),
})

export const eventListSchema = listSchema(eventSchema)

export const resendEventBody = z
  .strictObject({ endpoint_id: z.string().max(64).optional().describe('Only to this endpoint; by default to every enabled endpoint it matches') })
  .meta({ id: 'ResendEvent' })

export const resendResultSchema = z
  .object({
    object: z.literal('event_resend'),
    event_id: z.string(),
    deliveries: z.array(z.object({ id: z.string().describe('whd_…'), endpoint_id: z.string() })),
  })
  .meta({ id: 'EventResend' })

export type EventDto = z.infer<typeof eventSchema>
export type ListEventsQuery = z.infer<typeof listEventsQuery>
