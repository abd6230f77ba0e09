import { z } from 'zod'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'
import { CHANNELS } from '../engine/scenario-definition.js'

const postalAddressSchema = z.strictObject({
  lines: z.array(z.string().trim().min(1).max(38)).min(1).max(4).describe('Name and street lines, 38 characters each (NF Z10-011)'),
  postcode: z.string().trim().min(1).max(10),
  city: z.string().trim().min(1).max(32),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. FR'),
})

export const senderSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.email().optional(),
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'E.164, e.g. +33612345678').optional(),
    postal_address: postalAddressSchema.optional(),
    registration_id: z.string().max(40).optional().describe('SIREN/SIRET shown on letters'),
  })
  .meta({ id: 'ChannelSender' })

const credentialsSchema = z
  .record(z.string().min(1).max(64), z.string().min(1).max(8192))
  .refine((c) => Object.keys(c).length <= 20, 'At most 20 credentials')
  .describe('Secrets for the driver (API token, private key, SMTP password…); stored encrypted, never returned')

export const connectionSchema = z
  .object({
    object: z.literal('channel_connection'),
    id: z.string().describe('chc_…'),
    name: z.string(),
    driver: z.string(),
    channels: z.array(z.enum(CHANNELS)),
    mode: z.enum(['sandbox', 'live']),
    credentials: z.record(z.string(), z.string()).describe('Each credential masked to its last 4 characters'),
    settings: z.record(z.string(), z.unknown()),
    sender: senderSchema,
    enabled: z.boolean(),
    external_ref: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'ChannelConnection' })

export const createConnectionBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    driver: z.string().min(1).max(64).describe('email-smtp, ar24, print-mail, sms-http, capture, or a configured plug-in driver'),
    channels: z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length),
    mode: z.enum(['sandbox', 'live']).default('sandbox'),
    credentials: credentialsSchema.default({}),
    settings: z.record(z.string(), z.unknown()).default({}).describe('Non-secret options: base_url, host, port…'),
    sender: senderSchema,
    enabled: z.boolean().default(true),
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'CreateChannelConnection' })

export const updateConnectionBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    channels: z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length).optional(),
    credentials: credentialsSchema.optional().describe('Replaces every credential'),
    settings: z.record(z.string(), z.unknown()).optional(),
    sender: senderSchema.optional(),
    enabled: z.boolean().optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'UpdateChannelConnection' })

export const listConnectionsQuery = listQuerySchema({})
export const connectionListSchema = listSchema(connectionSchema)

export type ConnectionDto = z.infer<typeof connectionSchema>
export type CreateConnectionInput = z.infer<typeof createConnectionBody>
export type UpdateConnectionInput = z.infer<typeof updateConnectionBody>
