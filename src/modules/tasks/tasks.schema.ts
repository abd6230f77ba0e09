import { z } from 'zod'
import { listQuerySchema, listSchema, timestampSchema } from '../../platform/api-schemas.js'
import { calendarDateSchema } from '../../shared/dates.js'
import { currencySchema, positiveAmountSchema } from '../../shared/money.js'
import { DISPUTE_REASONS } from '../holds/holds.tables.js'
import { TASK_OUTCOMES } from './tasks.tables.js'

export const taskSchema = z
  .object({
    object: z.literal('task'),
    id: z.string().describe('tsk_…'),
    kind: z.literal('call'),
    status: z.enum(['open', 'completed']),
    dispatch_id: z.string(),
    debtor_id: z.string(),
    invoice_ids: z.array(z.string()),
    script: z.string().describe('What to say, rendered from the call_script template'),
    phone: z.string().nullable(),
    outcome: z.enum(TASK_OUTCOMES).nullable(),
    note: z.string().nullable(),
    hold_id: z.string().nullable().describe('The promise or dispute the call produced'),
    completed_at: timestampSchema.nullable(),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Task' })

export const completeTaskBody = z
  .strictObject({
    outcome: z.enum(TASK_OUTCOMES),
    note: z.string().max(2000).optional(),
    promised_amount: positiveAmountSchema.optional().describe('outcome promise: minor units'),
    promised_currency: currencySchema.optional().describe('outcome promise'),
    promised_date: calendarDateSchema.optional().describe('outcome promise'),
    dispute_reason: z.enum(DISPUTE_REASONS).optional().describe('outcome dispute'),
  })
  .superRefine((v, ctx) => {
    const need = (field: keyof typeof v, when: string) => {
      if (v[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `Required when outcome is ${when}` })
    }
    if (v.outcome === 'promise') for (const f of ['promised_amount', 'promised_currency', 'promised_date'] as const) need(f, 'promise')
    if (v.outcome === 'dispute') need('dispute_reason', 'dispute')
  })
  .meta({ id: 'CompleteTask' })

export const listTasksQuery = listQuerySchema({
  status: z.enum(['open', 'completed']).optional(),
  debtor_id: z.string().max(64).optional(),
})
export const taskListSchema = listSchema(taskSchema)

export type TaskDto = z.infer<typeof taskSchema>
export type CompleteTaskInput = z.infer<typeof completeTaskBody>
