import { z } from 'zod'
import { amountSchema } from '../../shared/money.js'

/**
 * What a scenario version says, independent of storage: the scenarios module stores and versions
 * it, the planner reads it. One zod schema: API validation, OpenAPI and the planner's types.
 */
export const CHANNELS = [
  'email',
  'sms',
  'letter',
  'registered_letter',
  'registered_email',
  'call_task',
  'litigation_handoff',
] as const
export type Channel = (typeof CHANNELS)[number]

export const DEBTOR_KINDS = ['business', 'consumer', 'public_body'] as const

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour')

/** One way to send a step; the first option whose conditions the debtor meets is used. */
export const channelOptionSchema = z.strictObject({
  channel: z.enum(CHANNELS),
  debtor_kinds: z.array(z.enum(DEBTOR_KINDS)).min(1).optional().describe('Only for these kinds of debtor'),
  requires_lre_consent: z
    .boolean()
    .optional()
    .describe('Only when a consumer consented to electronic registered mail (art. L100 CPCE); businesses need none'),
  template: z.string().min(1).max(100).describe('Template key; rendered in the debtor language'),
})

export const stepConditionsSchema = z.strictObject({
  min_overdue_amount: amountSchema.optional().describe('Skip the step below this amount due, minor units'),
  debtor_kinds: z.array(z.enum(DEBTOR_KINDS)).min(1).optional(),
  segments: z.array(z.string().min(1).max(50)).min(1).optional(),
  previous_outcome: z
    .enum(['delivered', 'not_delivered'])
    .optional()
    .describe('Only if the previous step was (not) delivered, e.g. fall back to postal when an email bounced'),
})

export const scenarioStepSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9_]{1,50}$/, 'lowercase letters, digits and _'),
  anchor: z.enum(['due_date', 'previous_step']).default('due_date'),
  offset_days: z.number().int().min(-90).max(3650).describe('Days after the anchor; negative = before the due date'),
  channels: z.array(channelOptionSchema).min(1).max(5),
  conditions: stepConditionsSchema.default({}),
  business_days_only: z.boolean().default(true),
})

export const EVENT_TRIGGERS = ['paid_after_dunning', 'promise_confirmed', 'promise_broken', 'instalment_missed'] as const
export type EventTrigger = (typeof EVENT_TRIGGERS)[number]

/** Messages sent on an event rather than on a date (thank-you after payment, …). */
export const eventStepSchema = z.strictObject({
  trigger: z.enum(EVENT_TRIGGERS),
  channels: z.array(channelOptionSchema).min(1).max(5),
})

export const sendPolicySchema = z.strictObject({
  window_start: timeOfDay.default('09:00').describe("Earliest local time in the debtor's time zone"),
  window_end: timeOfDay.default('18:00'),
  weekdays: z
    .array(z.number().int().min(1).max(7))
    .min(1)
    .default([1, 2, 3, 4, 5])
    .describe('ISO weekdays contacts may happen on: 1 = Monday … 7 = Sunday'),
  min_gap_days: z.number().int().min(0).max(60).default(3).describe('Minimum days between two contacts of one debtor'),
  max_contacts: z.number().int().min(1).max(100).default(4).describe('At most this many contacts of one debtor per period'),
  period_days: z.number().int().min(1).max(365).default(30),
  grouping: z.enum(['per_debtor', 'per_invoice']).default('per_debtor'),
})
  // 'HH:MM' strings compare in time order; an empty or inverted window could never send.
  .refine((p) => p.window_end > p.window_start, {
    message: 'window_end must be after window_start',
    path: ['window_end'],
  })

export const scenarioDefinitionSchema = z.strictObject({
  steps: z
    .array(scenarioStepSchema)
    .min(1)
    .max(30)
    .refine((steps) => new Set(steps.map((s) => s.key)).size === steps.length, 'Step keys must be unique'),
  event_steps: z.array(eventStepSchema).max(10).default([]),
  send_policy: sendPolicySchema.default({
    window_start: '09:00',
    window_end: '18:00',
    weekdays: [1, 2, 3, 4, 5],
    min_gap_days: 3,
    max_contacts: 4,
    period_days: 30,
    grouping: 'per_debtor',
  }),
})
  // A business-days-only step needs a weekday Monday–Friday to go on, or it could never be sent.
  .refine((d) => d.send_policy.weekdays.some((w) => w <= 5) || d.steps.every((s) => !s.business_days_only), {
    message: 'Steps limited to business days need at least one weekday from 1 to 5',
    path: ['send_policy', 'weekdays'],
  })
  .meta({ id: 'ScenarioDefinition' })

export type ChannelOption = z.infer<typeof channelOptionSchema>
export type ScenarioStep = z.infer<typeof scenarioStepSchema>
export type EventStep = z.infer<typeof eventStepSchema>
export type SendPolicy = z.infer<typeof sendPolicySchema>
export type ScenarioDefinition = z.infer<typeof scenarioDefinitionSchema>
