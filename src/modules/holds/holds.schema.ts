import { z } from 'zod'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'
import { calendarDateSchema } from '../../shared/dates.js'
import { currencySchema, positiveAmountSchema } from '../../shared/money.js'
import { DISPUTE_REASONS, HOLD_KINDS, HOLD_STATUSES } from './holds.tables.js'

export const holdKindSchema = z
  .enum(HOLD_KINDS)
  .describe('dispute (one invoice, with a reason code), promise_to_pay (amount by a date), manual, legal (e.g. insolvency proceedings)')
export const holdStatusSchema = z
  .enum(HOLD_STATUSES)
  .describe('active; or how it ended: released by you, expired, a promise kept or broken')
export const disputeReasonSchema = z.enum(DISPUTE_REASONS).describe('Why the debtor disputes the invoice')

export const holdSchema = z
  .object({
    object: z.literal('hold'),
    id: z.string().describe('hld_…'),
    kind: holdKindSchema,
    status: holdStatusSchema,
    active: z.boolean().describe('Dunning is stopped for its scope while true'),
    debtor_id: z.string(),
    invoice_id: z.string().nullable().describe('The invoice it holds; null holds the whole debtor'),
    reason_code: disputeReasonSchema.nullable(),
    note: z.string().nullable(),
    promised_amount: z.number().int().nullable().describe('Minor units'),
    promised_currency: z.string().nullable(),
    promised_date: z.string().nullable(),
    expires_on: z.string().nullable().describe('The hold ends by itself after this date'),
    ended_at: timestampSchema.nullable(),
    end_reason: z.string().nullable().describe('Why it ended, e.g. "expired" or "promise_broken: paid 0 of 5000 by 2026-03-01"'),
    external_ref: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Hold' })

type Issue = { path: string; message: string }

interface HoldTerms {
  kind: string
  invoice_id?: string
  reason_code?: string
  promised_amount?: number
  promised_currency?: string
  promised_date?: string
  expires_on?: string
}

/** What each kind needs and refuses; paths are relative to the body. */
function holdKindIssues(value: HoldTerms): Issue[] {
  const issues: Issue[] = []
  const required = (field: keyof HoldTerms, why: string) => {
    if (value[field] === undefined) issues.push({ path: field, message: `Required for ${why}` })
  }
  const refused = (field: keyof HoldTerms, why: string) => {
    if (value[field] !== undefined) issues.push({ path: field, message: `Only for ${why}` })
  }
  if (value.kind === 'dispute') {
    required('invoice_id', 'a dispute')
    required('reason_code', 'a dispute')
  } else refused('reason_code', 'dispute holds')
  const promised = ['promised_amount', 'promised_currency', 'promised_date'] as const
  for (const field of promised) {
    if (value.kind === 'promise_to_pay') required(field, 'a promise to pay')
    else refused(field, 'promise_to_pay holds')
  }
  if (value.kind !== 'manual' && value.kind !== 'legal') refused('expires_on', 'manual and legal holds')
  return issues
}

/**
 * Dates a hold runs to must not be past. Checked by the service, not the schema: "today" is the
 * tenant's, which a test clock may have moved. Paths are the body's.
 */
export function pastDateIssues(value: HoldTerms, today: string): Issue[] {
  return (['promised_date', 'expires_on'] as const)
    .filter((field) => value[field] !== undefined && value[field]! < today)
    .map((field) => ({ path: `body.${field}`, message: `Cannot be in the past (today is ${today})` }))
}

export const createHoldBody = z
  .strictObject({
    kind: holdKindSchema,
    debtor_id: z.string().min(1).max(64).describe('dbt_…'),
    invoice_id: z.string().min(1).max(64).optional().describe('inv_… of this debtor; required for a dispute, else omit to hold the whole debtor'),
    reason_code: disputeReasonSchema.optional().describe('Required for a dispute'),
    note: z.string().max(2000).optional(),
    promised_amount: positiveAmountSchema.optional().describe('promise_to_pay: minor units'),
    promised_currency: currencySchema.optional().describe('promise_to_pay'),
    promised_date: calendarDateSchema.optional().describe('promise_to_pay: paid by this date, today or later'),
    expires_on: calendarDateSchema.optional().describe('manual and legal: the hold ends by itself after this date'),
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .superRefine((value, ctx) => {
    for (const issue of holdKindIssues(value)) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message })
  })
  .meta({ id: 'CreateHold' })

export const releaseHoldBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500).optional().describe('Kept as end_reason (default "released")') })
  .meta({ id: 'ReleaseHold' })

export const listHoldsQuery = listQuerySchema({
  status: holdStatusSchema.optional(),
  kind: holdKindSchema.optional(),
  debtor_id: z.string().max(64).optional(),
  invoice_id: z.string().max(64).optional(),
})
export const holdListSchema = listSchema(holdSchema)

export type HoldDto = z.infer<typeof holdSchema>
export type CreateHoldInput = z.infer<typeof createHoldBody>
export type ReleaseHoldInput = z.infer<typeof releaseHoldBody>
export type ListHoldsQuery = z.infer<typeof listHoldsQuery>
