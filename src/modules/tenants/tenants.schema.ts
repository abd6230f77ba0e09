import { z } from 'zod'
import { countrySchema } from '../../shared/countries.js'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'

export const tenantModeSchema = z
  .enum(['live', 'sandbox'])
  .describe('live tenants send for real; sandbox tenants send to the simulators and may use test clocks')

const tenantCountrySchema = countrySchema.describe(
  'Where the creditor is established (ISO 3166-1 alpha-2). It chooses the law module that computes penalties, the fixed ' +
    'indemnity, payment-term warnings and prescription dates (FR is the only one today); another country computes none ' +
    'of them (docs/law.md).',
)

export const tenantSchema = z
  .object({
    object: z.literal('tenant'),
    id: z.string().describe('ten_…'),
    name: z.string(),
    mode: tenantModeSchema,
    country: tenantCountrySchema,
    tracking_enabled: z.boolean().describe('Emails carry an open pixel and a tracked payment link (dispatch.opened, dispatch.link_clicked)'),
    external_ref: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Tenant' })

export const createTenantBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).describe('The creditor company name'),
    mode: tenantModeSchema.default('sandbox'),
    country: tenantCountrySchema.default('FR'),
    tracking_enabled: z.boolean().default(false).describe('Opt in to open and click tracking of emails'),
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'CreateTenant' })

export const updateTenantBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    country: tenantCountrySchema.optional(),
    tracking_enabled: z.boolean().optional(),
    external_ref: externalRefSchema.nullable().optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'UpdateTenant' })

export const listTenantsQuery = listQuerySchema({ mode: tenantModeSchema.optional() })
export const tenantListSchema = listSchema(tenantSchema)

export type TenantDto = z.infer<typeof tenantSchema>
export type CreateTenantInput = z.infer<typeof createTenantBody>
export type UpdateTenantInput = z.infer<typeof updateTenantBody>
export type ListTenantsQuery = z.infer<typeof listTenantsQuery>
