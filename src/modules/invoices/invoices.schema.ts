import { scenarioIdSchema } from '../debtors/debtor-fields.js'
import { z } from 'zod'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'
import { calendarDateSchema } from '../../shared/dates.js'
import { amountSchema, currencySchema } from '../../shared/money.js'
import { INVOICE_STATUSES } from './invoices.tables.js'

export const invoiceStatusSchema = z
  .enum(INVOICE_STATUSES)
  .describe('Derived from payments, credit notes, disputes and cancellation; never set by hand')

export const invoiceSchema = z
  .object({
    object: z.literal('invoice'),
    id: z.string().describe('inv_…'),
    external_ref: z.string().nullable(),
    debtor_id: z.string(),
    number: z.string(),
    currency: z.string(),
    amount_total: z.number().int().describe('Total including tax, minor units'),
    amount_tax: z.number().int(),
    amount_net: z.number().int(),
    amount_paid: z.number().int().describe('Applied from payments'),
    amount_credited: z.number().int().describe('Applied from credit notes'),
    amount_due: z.number().int().describe('What is left to pay'),
    issue_date: z.string(),
    due_date: z.string(),
    payment_terms_days: z.number().int().nullable(),
    payment_link: z.string().nullable(),
    scenario_id: z.string().nullable().describe('Scenario override for this invoice (else the debtor override, the rules, the default)'),
    status: invoiceStatusSchema,
    paid_at: timestampSchema.nullable(),
    cancelled_at: timestampSchema.nullable(),
    written_off_at: timestampSchema.nullable(),
    document: z
      .object({ sha256: z.string(), filename: z.string(), content_type: z.string(), size: z.number().int() })
      .nullable()
      .describe('The uploaded invoice PDF'),
    warnings: z
      .array(z.object({ code: z.string(), message: z.string() }))
      .describe(
        "Legal checks that did not block the invoice, by the tenant's country law: payment_terms_exceed_limit; " +
          'no_law_module when Relance has no module for that country (nothing statutory is computed then)',
      ),
    prescription_date: z
      .string()
      .nullable()
      .describe(
        'When the claim is time-barred under the tenant country law (France: 5 years after the due date between businesses, ' +
          '2 years against a consumer); null when Relance has no module for that country',
      ),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Invoice' })

const amounts = {
  amount_total: amountSchema,
  amount_tax: amountSchema.optional().describe('Tax, minor units (default 0)'),
  amount_net: amountSchema.optional().describe('Net of tax, minor units (default total - tax)'),
}

function checkAmounts(
  value: { amount_total?: number; amount_tax?: number; amount_net?: number },
  ctx: z.RefinementCtx,
) {
  const { amount_total: total, amount_tax: tax, amount_net: net } = value
  if (total !== undefined && tax !== undefined && net !== undefined && net + tax !== total) {
    ctx.addIssue({ code: 'custom', path: ['amount_net'], message: 'amount_net + amount_tax must equal amount_total' })
  }
  if (total !== undefined && tax !== undefined && tax > total) {
    ctx.addIssue({ code: 'custom', path: ['amount_tax'], message: 'Cannot exceed amount_total' })
  }
}

function checkDates(value: { issue_date?: string; due_date?: string }, ctx: z.RefinementCtx) {
  if (value.issue_date && value.due_date && value.due_date < value.issue_date) {
    ctx.addIssue({ code: 'custom', path: ['due_date'], message: 'Cannot be before issue_date' })
  }
}

export const createInvoiceBody = z
  .strictObject({
    debtor_id: z.string().max(64).optional().describe('dbt_… (or give debtor_external_ref)'),
    debtor_external_ref: externalRefSchema.optional().describe("The debtor's external_ref, instead of debtor_id"),
    number: z.string().trim().min(1).max(100),
    currency: currencySchema,
    ...amounts,
    issue_date: calendarDateSchema,
    due_date: calendarDateSchema,
    payment_terms_days: z.number().int().min(0).max(3650).optional(),
    payment_link: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    scenario_id: scenarioIdSchema.optional().describe('Run this scenario for this invoice, whatever the debtor and rules say'),
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (!value.debtor_id === !value.debtor_external_ref) {
      ctx.addIssue({ code: 'custom', path: ['debtor_id'], message: 'Give exactly one of debtor_id or debtor_external_ref' })
    }
    checkAmounts(value, ctx)
    checkDates(value, ctx)
  })
  .meta({ id: 'CreateInvoice' })

export const updateInvoiceBody = z
  .strictObject({
    number: z.string().trim().min(1).max(100).optional(),
    amount_total: amountSchema.optional(),
    amount_tax: amountSchema.optional(),
    amount_net: amountSchema.optional(),
    issue_date: calendarDateSchema.optional(),
    due_date: calendarDateSchema.optional(),
    payment_terms_days: z.number().int().min(0).max(3650).nullable().optional(),
    payment_link: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
    scenario_id: scenarioIdSchema
      .nullable()
      .optional()
      .describe('Moves the invoice to this scenario (null: back to assignment); a running case continues at the same step index'),
    external_ref: externalRefSchema.nullable().optional(),
    metadata: metadataSchema.optional(),
  })
  .superRefine((value, ctx) => {
    checkAmounts(value, ctx)
    checkDates(value, ctx)
  })
  .meta({ id: 'UpdateInvoice' })

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true')

export const listInvoicesQuery = listQuerySchema({
  status: z
    .string()
    .transform((v) => v.split(','))
    .pipe(z.array(invoiceStatusSchema))
    .optional()
    .describe('One status or several, comma-separated'),
  debtor_id: z.string().max(64).optional(),
  currency: currencySchema.optional(),
  due_before: calendarDateSchema.optional().describe('Due strictly before this date'),
  due_after: calendarDateSchema.optional().describe('Due strictly after this date'),
  overdue: booleanQuery.optional().describe('Only (true) or never (false) invoices past due with something left to pay'),
  external_ref: z.string().max(255).optional(),
})

export const invoiceListSchema = listSchema(invoiceSchema)

export type InvoiceDto = z.infer<typeof invoiceSchema>
export type CreateInvoiceInput = z.infer<typeof createInvoiceBody>
export type UpdateInvoiceInput = z.infer<typeof updateInvoiceBody>
export type ListInvoicesQuery = z.infer<typeof listInvoicesQuery>
