import { z } from 'zod'
import { countrySchema } from '../../shared/countries.js'
import { calendarDateSchema } from '../../shared/dates.js'
import { checkVatNumber, compactId, isValidSiren, isValidSiret, sirenOfFrenchVat } from '../../shared/registration-ids.js'
import { isIso639Language } from './languages.js'

/** Field schemas of a debtor, shared by the create and update bodies (and GraphQL inputs). */

export const DEBTOR_KINDS = ['business', 'consumer', 'public_body'] as const
export const debtorKindSchema = z.enum(DEBTOR_KINDS).describe('business, consumer or public_body: the rules of collection differ')

// People write "732 829 320"; the compact form is what is checked and kept.
const compacted = z.string().max(40).transform(compactId)

function registrationNumber(what: string, digits: number, valid: (value: string) => boolean) {
  return compacted
    .pipe(
      z.string().superRefine((value, ctx) => {
        if (!new RegExp(`^\\d{${digits}}$`).test(value)) ctx.addIssue({ code: 'custom', message: `Must be ${digits} digits` })
        else if (!valid(value)) ctx.addIssue({ code: 'custom', message: `Not a valid ${what} (check digit)` })
      }),
    )
    .describe(`French ${what}, ${digits} digits (spaces and dots are ignored)`)
}

export const sirenSchema = registrationNumber('SIREN', 9, isValidSiren)
export const siretSchema = registrationNumber('SIRET', 14, isValidSiret)

export const vatNumberSchema = compacted
  .pipe(
    z.string().superRefine((vat, ctx) => {
      const check = checkVatNumber(vat)
      if (!check.valid) ctx.addIssue({ code: 'custom', message: check.reason })
    }),
  )
  .describe('EU VAT number with its country prefix, e.g. FR44732829320 (spaces and dots are ignored)')

const ZONES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('timeZone'))

/**
 * ICU lists canonical names that lag behind IANA (Asia/Calcutta, not Asia/Kolkata), so a name is
 * also accepted when ICU resolves it to one it lists. The spelling must be IANA's own.
 */
export function isIanaTimeZone(name: string): boolean {
  if (name === 'UTC' || ZONES.has(name)) return true
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)+$/.test(name)) return false
  try {
    return ZONES.has(new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone)
  } catch {
    return false
  }
}

export const timezoneSchema = z.string().max(64).refine(isIanaTimeZone, 'Unknown IANA time zone, e.g. Europe/Paris').describe('IANA time zone')

export const languageSchema = z
  .string()
  .regex(/^[a-z]{2}$/, 'Must be an ISO 639-1 code: two lower-case letters, e.g. fr')
  .refine(isIso639Language, 'Unknown ISO 639-1 language code')
  .describe('ISO 639-1 language of the letters and emails')

export const segmentSchema = z.string().trim().min(1).max(50).describe('Your own label to group debtors')

export const contactSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    role: z.string().trim().min(1).max(100).optional(),
    email: z.email().max(254).optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'Must be an E.164 number, e.g. +33612345678')
      .optional(),
  })
  .refine((c) => Object.keys(c).length > 0, 'A contact needs at least one field')

export const contactsSchema = z.array(contactSchema).max(20).describe('Up to 20 people to write to')

/** NF Z10-011: at most 6 lines of 38 characters, so the address fits an envelope window. */
export const addressSchema = z.strictObject({
  lines: z.array(z.string().trim().min(1).max(38, 'At most 38 characters per line (NF Z10-011)')).min(1).max(6, 'At most 6 lines (NF Z10-011)'),
  postcode: z.string().trim().min(1).max(10),
  city: z.string().trim().min(1).max(100),
  country: countrySchema,
})

export const lreConsentSchema = z
  .strictObject({
    on: calendarDateSchema.describe('When the consumer agreed'),
    means: z.string().trim().min(1).max(500).describe('How the consent was given and where it is kept'),
  })
  .describe('Consent to electronic registered letters: needed before one goes to a consumer')

export const scenarioIdSchema = z.string().min(1).max(64)

interface RegistrationIds {
  siren?: string | null
  siret?: string | null
  vat_number?: string | null
}

export interface FieldIssue {
  path: string[]
  message: string
}

/** The identifiers of one company must name the same company. */
export function registrationIdConflicts(ids: RegistrationIds): FieldIssue[] {
  const issues: FieldIssue[] = []
  const vatSiren = ids.vat_number ? sirenOfFrenchVat(ids.vat_number) : null
  if (ids.siren && vatSiren && vatSiren !== ids.siren) {
    issues.push({ path: ['vat_number'], message: `Does not belong to SIREN ${ids.siren}` })
  }
  if (ids.siret && ids.siren && !ids.siret.startsWith(ids.siren)) {
    issues.push({ path: ['siret'], message: `Does not start with SIREN ${ids.siren}` })
  } else if (ids.siret && vatSiren && !ids.siren && !ids.siret.startsWith(vatSiren)) {
    issues.push({ path: ['siret'], message: `Does not belong to the company of VAT number ${ids.vat_number}` })
  }
  return issues
}
