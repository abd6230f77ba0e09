import { z } from 'zod'
import { calendarDateSchema, daysBetween } from '../../shared/dates.js'
import type { OpenItemRow } from './debtor-receivables.repository.js'

export const AGING_BUCKETS = ['not_yet_due', 'days_1_30', 'days_31_60', 'days_61_90', 'over_90'] as const
export type AgingBucket = (typeof AGING_BUCKETS)[number]

export const statementQuery = z.strictObject({
  as_of: calendarDateSchema.optional().describe('The day the statement is drawn up; today (UTC) by default'),
})

const statementItemSchema = z.object({
  invoice_id: z.string(),
  number: z.string(),
  external_ref: z.string().nullable(),
  currency: z.string(),
  issue_date: z.string(),
  due_date: z.string(),
  amount_total: z.number().int(),
  amount_due: z.number().int().describe('Left to pay on as_of, minor units'),
  days_past_due: z.number().int().describe('Days from due_date to as_of; 0 or less is not yet due'),
  bucket: z.enum(AGING_BUCKETS),
})

const minor = z.number().int()
const statementTotalSchema = z.object({
  currency: z.string(),
  amount_due: minor.describe('All open items in this currency, minor units'),
  not_yet_due: minor,
  days_1_30: minor,
  days_31_60: minor,
  days_61_90: minor,
  over_90: minor,
})
type StatementTotal = z.infer<typeof statementTotalSchema>

export const statementSchema = z
  .object({
    object: z.literal('debtor_statement'),
    debtor_id: z.string(),
    as_of: z.string(),
    items: z.array(statementItemSchema).describe('Open invoices on as_of, oldest due date first'),
    totals: z.array(statementTotalSchema).describe('One entry per currency, split by aging bucket'),
  })
  .meta({ id: 'DebtorStatement' })

export type StatementDto = z.infer<typeof statementSchema>
export type StatementQuery = z.infer<typeof statementQuery>

export function agingBucket(daysPastDue: number): AgingBucket {
  if (daysPastDue <= 0) return 'not_yet_due'
  if (daysPastDue <= 30) return 'days_1_30'
  if (daysPastDue <= 60) return 'days_31_60'
  if (daysPastDue <= 90) return 'days_61_90'
  return 'over_90'
}

/** Ages the open items on `asOf` and totals them per currency, never across currencies. */
export function buildStatement(debtorId: string, asOf: string, rows: OpenItemRow[]): StatementDto {
  const items = rows.map((row) => {
    const daysPastDue = daysBetween(row.dueDate, asOf)
    return {
      invoice_id: row.invoiceId,
      number: row.number,
      external_ref: row.externalRef,
      currency: row.currency,
      issue_date: row.issueDate,
      due_date: row.dueDate,
      amount_total: row.amountTotal,
      amount_due: row.amountDue,
      days_past_due: daysPastDue,
      bucket: agingBucket(daysPastDue),
    }
  })
  const totals = new Map<string, StatementTotal>()
  for (const item of items) {
    let total = totals.get(item.currency)
    if (!total) {
      total = { currency: item.currency, amount_due: 0, not_yet_due: 0, days_1_30: 0, days_31_60: 0, days_61_90: 0, over_90: 0 }
      totals.set(item.currency, total)
    }
    total.amount_due += item.amount_due
    total[item.bucket] += item.amount_due
  }
  return {
    object: 'debtor_statement',
    debtor_id: debtorId,
    as_of: asOf,
    items,
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  }
}
