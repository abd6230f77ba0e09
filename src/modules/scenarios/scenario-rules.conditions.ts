import { z } from 'zod'
import { currencySchema, amountSchema } from '../../shared/money.js'
import { debtorKindSchema, segmentSchema } from '../debtors/debtor-fields.js'

/** What an assignment rule looks at; every condition given must hold, none given matches everything. */
export const ruleConditionsSchema = z
  .strictObject({
    segments: z.array(segmentSchema).min(1).max(50).optional().describe("The debtor's segment is one of these"),
    debtor_kinds: z.array(debtorKindSchema).min(1).optional().describe("The debtor's kind is one of these"),
    min_amount: amountSchema.optional().describe('Amount due at least this, minor units of `currency`'),
    max_amount: amountSchema.optional().describe('Amount due at most this, minor units of `currency`'),
    currency: currencySchema.optional().describe('Only invoices in this currency'),
  })
  .superRefine((c, ctx) => {
    // Amounts in different currencies are never compared: a bound without its currency means nothing.
    for (const field of ['min_amount', 'max_amount'] as const) {
      if (c[field] !== undefined && c.currency === undefined) {
        ctx.addIssue({ code: 'custom', path: ['currency'], message: `Required with ${field}: amounts are per currency` })
      }
    }
    if (c.min_amount !== undefined && c.max_amount !== undefined && c.min_amount > c.max_amount) {
      ctx.addIssue({ code: 'custom', path: ['max_amount'], message: 'Must be at least min_amount' })
    }
  })
  .describe('Every condition given must hold; {} matches every invoice')

export type RuleConditions = z.infer<typeof ruleConditionsSchema>

/** The facts of one invoice a rule is matched against. */
export interface RuleFacts {
  segment: string | null
  kind: string
  amount: number
  currency: string
}

export function ruleMatches(c: RuleConditions, facts: RuleFacts): boolean {
  if (c.segments && (facts.segment === null || !c.segments.includes(facts.segment))) return false
  if (c.debtor_kinds && !(c.debtor_kinds as string[]).includes(facts.kind)) return false
  if (c.currency !== undefined && c.currency !== facts.currency) return false
  if (c.min_amount !== undefined && facts.amount < c.min_amount) return false
  if (c.max_amount !== undefined && facts.amount > c.max_amount) return false
  return true
}
