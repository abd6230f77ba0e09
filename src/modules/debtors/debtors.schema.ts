import { z } from 'zod'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'
import { countrySchema } from '../../shared/countries.js'
import {
  addressSchema,
  contactsSchema,
  debtorKindSchema,
  languageSchema,
  lreConsentSchema,
  registrationIdConflicts,
  scenarioIdSchema,
  segmentSchema,
  sirenSchema,
  siretSchema,
  timezoneSchema,
  vatNumberSchema,
} from './debtor-fields.js'

const balanceSchema = z.object({
  currency: z.string(),
  outstanding: z.number().int().describe('Left to pay on open, partially paid and disputed invoices, minor units'),
  overdue: z.number().int().describe('The part of outstanding past its due date, minor units'),
})

export const debtorSchema = z
  .object({
    object: z.literal('debtor'),
    id: z.string().describe('dbt_…'),
    external_ref: z.string().nullable(),
    kind: debtorKindSchema,
    name: z.string(),
    siren: z.string().nullable(),
    siret: z.string().nullable(),
    vat_number: z.string().nullable(),
    country: z.string(),
    language: z.string(),
    timezone: z.string(),
    segment: z.string().nullable(),
    contacts: z.array(z.object({ name: z.string().optional(), role: z.string().optional(), email: z.string().optional(), phone: z.string().optional() })),
    address: z.object({ lines: z.array(z.string()), postcode: z.string(), city: z.string(), country: z.string() }).nullable(),
    lre_consent: z.object({ on: z.string(), means: z.string() }).nullable(),
    scenario_id: z.string().nullable(),
    balances: z.array(balanceSchema).describe('One entry per currency: amounts in different currencies are never added'),
    average_days_late: z.number().nullable().describe('Mean days between due date and payment over paid invoices; null before the first'),
    last_contact_at: timestampSchema.nullable().describe('When a letter or email last went to this debtor'),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Debtor' })

function checkRegistrationIds(value: { siren?: string | null; siret?: string | null; vat_number?: string | null }, ctx: z.RefinementCtx) {
  for (const issue of registrationIdConflicts(value)) ctx.addIssue({ code: 'custom', ...issue })
}

export const createDebtorBody = z
  .strictObject({
    kind: debtorKindSchema,
    name: z.string().trim().min(1).max(200),
    siren: sirenSchema.nullable().optional(),
    siret: siretSchema.nullable().optional(),
    vat_number: vatNumberSchema.nullable().optional(),
    country: countrySchema,
    language: languageSchema.default('fr'),
    timezone: timezoneSchema.default('Europe/Paris'),
    segment: segmentSchema.nullable().optional(),
    contacts: contactsSchema.optional(),
    address: addressSchema.nullable().optional(),
    lre_consent: lreConsentSchema.nullable().optional(),
    scenario_id: scenarioIdSchema.nullable().optional(),
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .superRefine(checkRegistrationIds)
  .meta({ id: 'CreateDebtor' })

/** Absent fields stay as they are; null clears the ones that may be empty. */
export const updateDebtorBody = z
  .strictObject({
    kind: debtorKindSchema.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    siren: sirenSchema.nullable().optional(),
    siret: siretSchema.nullable().optional(),
    vat_number: vatNumberSchema.nullable().optional(),
    country: countrySchema.optional(),
    language: languageSchema.optional(),
    timezone: timezoneSchema.optional(),
    segment: segmentSchema.nullable().optional(),
    contacts: contactsSchema.optional(),
    address: addressSchema.nullable().optional(),
    lre_consent: lreConsentSchema.nullable().optional(),
    scenario_id: scenarioIdSchema.nullable().optional(),
    external_ref: externalRefSchema.nullable().optional(),
    metadata: metadataSchema.optional(),
  })
  .superRefine(checkRegistrationIds)
  .meta({ id: 'UpdateDebtor' })

export const listDebtorsQuery = listQuerySchema({
  kind: debtorKindSchema.optional(),
  segment: z.string().max(50).optional(),
  country: countrySchema.optional(),
  external_ref: z.string().max(255).optional(),
})

export const debtorListSchema = listSchema(debtorSchema)

export type DebtorDto = z.infer<typeof debtorSchema>
export type DebtorBalance = z.infer<typeof balanceSchema>
export type CreateDebtorInput = z.infer<typeof createDebtorBody>
export type UpdateDebtorInput = z.infer<typeof updateDebtorBody>
export type ListDebtorsQuery = z.infer<typeof listDebtorsQuery>
