import { z } from 'zod'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'
import { calendarDateSchema } from '../../shared/dates.js'
import { currencySchema, positiveAmountSchema } from '../../shared/money.js'

export const allocationSchema = z
  .object({
    object: z.literal('allocation'),
    id: z.string().describe('alc_…'),
    invoice_id: z.string(),
    amount: z.number().int(),
    created_at: timestampSchema,
    reversed_at: timestampSchema.nullable(),
  })
  .meta({ id: 'Allocation' })

export const allocationInput = z.strictObject({
  invoice_id: z.string().min(1).max(64),
  amount: positiveAmountSchema,
})

const allocationsInput = z
  .array(allocationInput)
  .min(1)
  .max(500)
  .optional()
  .describe('Where the money goes. Omitted: oldest invoices of the debtor in this currency first (due date, then issue date)')

const debtorRef = {
  debtor_id: z.string().max(64).optional().describe('dbt_… (or give debtor_external_ref)'),
  debtor_external_ref: externalRefSchema.optional(),
}

function oneDebtor(value: { debtor_id?: string; debtor_external_ref?: string }, ctx: z.RefinementCtx) {
  if (!value.debtor_id === !value.debtor_external_ref) {
    ctx.addIssue({ code: 'custom', path: ['debtor_id'], message: 'Give exactly one of debtor_id or debtor_external_ref' })
  }
}

export const paymentSchema = z
  .object({
    object: z.literal('payment'),
    id: z.string().describe('pay_…'),
    external_ref: z.string().nullable(),
    debtor_id: z.string(),
    amount: z.number().int(),
    amount_applied: z.number().int(),
    amount_unapplied: z.number().int().describe('Unapplied credit: received but not allocated to any invoice'),
    currency: z.string(),
    received_on: z.string(),
    method: z.string().nullable(),
    reference: z.string().nullable(),
    reversed_at: timestampSchema.nullable(),
    reversal_reason: z.string().nullable(),
    allocations: z.array(allocationSchema),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Payment' })

export const createPaymentBody = z
  .strictObject({
    ...debtorRef,
    amount: positiveAmountSchema,
    currency: currencySchema,
    received_on: calendarDateSchema,
    method: z.enum(['transfer', 'direct_debit', 'card', 'cheque', 'cash', 'other']).optional(),
    reference: z.string().max(200).optional().describe('Bank reference, cheque number…'),
    allocations: allocationsInput,
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .superRefine(oneDebtor)
  .meta({ id: 'CreatePayment' })

export const allocateBody = z.strictObject({ allocations: allocationsInput }).meta({ id: 'AllocatePayment' })

export const reversePaymentBody = z
  .strictObject({
    reason: z.enum(['bounced', 'chargeback', 'refunded', 'recorded_in_error']).describe('Why the money is gone'),
    note: z.string().max(500).optional(),
  })
  .meta({ id: 'ReversePayment' })

export const creditNoteSchema = z
  .object({
    object: z.literal('credit_note'),
    id: z.string().describe('cn_…'),
    external_ref: z.string().nullable(),
    debtor_id: z.string(),
    number: z.string(),
    amount: z.number().int(),
    amount_applied: z.number().int(),
    amount_unapplied: z.number().int(),
    currency: z.string(),
    issue_date: z.string(),
    reason: z.string().nullable(),
    allocations: z.array(allocationSchema),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'CreditNote' })

export const createCreditNoteBody = z
  .strictObject({
    ...debtorRef,
    number: z.string().trim().min(1).max(100),
    amount: positiveAmountSchema,
    currency: currencySchema,
    issue_date: calendarDateSchema,
    reason: z.string().max(500).optional(),
    allocations: allocationsInput,
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .superRefine(oneDebtor)
  .meta({ id: 'CreateCreditNote' })

export const listPaymentsQuery = listQuerySchema({
  debtor_id: z.string().max(64).optional(),
  currency: currencySchema.optional(),
  external_ref: z.string().max(255).optional(),
})

export const paymentListSchema = listSchema(paymentSchema)
export const creditNoteListSchema = listSchema(creditNoteSchema)

export type PaymentDto = z.infer<typeof paymentSchema>
export type CreditNoteDto = z.infer<typeof creditNoteSchema>
export type AllocationInput = z.infer<typeof allocationInput>
export type CreatePaymentInput = z.infer<typeof createPaymentBody>
export type CreateCreditNoteInput = z.infer<typeof createCreditNoteBody>
export type ListPaymentsQuery = z.infer<typeof listPaymentsQuery>
