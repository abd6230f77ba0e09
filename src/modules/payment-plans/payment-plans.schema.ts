import { z } from 'zod'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'
import { calendarDateSchema } from '../../shared/dates.js'
import { positiveAmountSchema } from '../../shared/money.js'
import { INSTALMENT_STATUSES, PLAN_STATUSES } from './payment-plans.tables.js'

export const planStatusSchema = z
  .enum(PLAN_STATUSES)
  .describe('active; completed (every instalment covered); breached (an instalment missed); cancelled')

export const instalmentSchema = z.object({
  sequence: z.number().int().describe('1 for the first instalment'),
  due_date: z.string(),
  amount: z.number().int().describe('Minor units'),
  amount_paid: z.number().int().describe('What the plan has received, allocated to instalments in order'),
  status: z.enum(INSTALMENT_STATUSES).describe('paid when covered; missed when its date passed uncovered'),
})

export const paymentPlanSchema = z
  .object({
    object: z.literal('payment_plan'),
    id: z.string().describe('pln_…'),
    debtor_id: z.string(),
    invoice_ids: z.array(z.string()),
    currency: z.string().describe("The invoices' currency"),
    status: planStatusSchema,
    amount_total: z.number().int().describe('Sum of the instalments: what was due on the invoices when the plan began'),
    amount_paid: z.number().int().describe('Paid or credited on the invoices since the plan began'),
    instalments: z.array(instalmentSchema),
    breached_at: timestampSchema.nullable(),
    external_ref: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'PaymentPlan' })

export const createPaymentPlanBody = z
  .strictObject({
    debtor_id: z.string().min(1).max(64).describe('dbt_…'),
    invoice_ids: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(100)
      .refine((ids) => new Set(ids).size === ids.length, 'An invoice may appear once')
      .describe("Invoices of this debtor, in one currency, whose amount due the instalments replace"),
    instalments: z
      .array(z.strictObject({ due_date: calendarDateSchema, amount: positiveAmountSchema }))
      .min(1)
      .max(60)
      .describe('Dates strictly increasing, from today on; the amounts add up to what the invoices have due'),
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .superRefine((value, ctx) => {
    // Whether the first date is past depends on the tenant's today (a test clock): the service checks it.
    value.instalments.forEach((instalment, i) => {
      const previous = value.instalments[i - 1]
      if (previous && instalment.due_date <= previous.due_date) {
        ctx.addIssue({ code: 'custom', path: ['instalments', i, 'due_date'], message: 'Must be after the previous instalment' })
      }
    })
  })
  .meta({ id: 'CreatePaymentPlan' })

export const listPaymentPlansQuery = listQuerySchema({
  status: planStatusSchema.optional(),
  debtor_id: z.string().max(64).optional(),
})
export const paymentPlanListSchema = listSchema(paymentPlanSchema)

export type PaymentPlanDto = z.infer<typeof paymentPlanSchema>
export type CreatePaymentPlanInput = z.infer<typeof createPaymentPlanBody>
export type ListPaymentPlansQuery = z.infer<typeof listPaymentPlansQuery>
