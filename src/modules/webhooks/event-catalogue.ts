import { z } from 'zod'
import { debtorSchema } from '../debtors/debtors.schema.js'
import type { EventType } from '../events/events.service.js'
import { holdSchema } from '../holds/holds.schema.js'
import { invoiceSchema } from '../invoices/invoices.schema.js'
import { dispatchSchema, proofSchema } from '../dispatch/dispatch.schema.js'
import { paymentPlanSchema } from '../payment-plans/payment-plans.schema.js'
import { scenarioSchema } from '../scenarios/scenarios.schema.js'
import { taskSchema } from '../tasks/tasks.schema.js'
import { creditNoteSchema, paymentSchema } from '../payments/payments.schema.js'

/** What `dunning.step_due` carries: the dispatch the engine queued (engine/evaluator.ts). */
const queuedDispatchSchema = z.object({
  object: z.literal('dispatch'),
  id: z.string().describe('dsp_…'),
  debtor_id: z.string(),
  step_key: z.string(),
  channel: z.string(),
  template: z.string(),
  language: z.string(),
  status: z.literal('queued'),
  scheduled_at: z.string(),
  invoice_ids: z.array(z.string()),
})

/** The endpoint object without its secret (defined here to keep the catalogue free of cycles). */
const endpointObjectSchema = z.object({
  object: z.literal('webhook_endpoint'),
  id: z.string().describe('we_…'),
  url: z.string(),
  description: z.string().nullable(),
  enabled_events: z.array(z.string()),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable(),
  previous_secret_expires_at: z.string().nullable(),
  external_ref: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  created_at: z.string(),
  updated_at: z.string(),
})

/** The dispatch objects dispatch.* events carry: the dispatch as GET /v1/dispatches lists it, in short. */
const sentDispatchSchema = dispatchSchema
  .pick({ object: true, id: true, debtor_id: true, step_key: true, channel: true, status: true, provider_ref: true, failure_code: true, failure_reason: true, invoice_ids: true })
  .extend({ sent_at: z.string().nullable(), updated_at: z.string() })

const caseSchema = z.object({
  object: z.literal('case'),
  dispatch_id: z.string(),
  debtor_id: z.string(),
  debtor: z.record(z.string(), z.unknown()),
  invoices: z.array(z.record(z.string(), z.unknown())),
  totals: z.array(z.object({ currency: z.string(), amount_due: z.number().int() })),
  dispatches: z.unknown().describe('Every earlier contact with its status and proofs (id, kind, sha256)'),
  hold_ids: z.array(z.string()).describe('The legal holds that freeze the case'),
})

interface CatalogueEntry {
  description: string
  object: z.ZodType
}

/** Every event type with what it means and the object it carries; `satisfies` keeps it complete. */
export const EVENT_CATALOGUE = {
  'debtor.created': { description: 'A debtor was created (API or bulk import).', object: debtorSchema },
  'debtor.updated': { description: 'A debtor changed.', object: debtorSchema },
  'invoice.created': { description: 'An invoice was created (API or bulk import).', object: invoiceSchema },
  'invoice.updated': { description: 'An invoice changed.', object: invoiceSchema },
  'invoice.paid': { description: 'An invoice is paid in full.', object: invoiceSchema },
  'invoice.partially_paid': { description: 'A payment or credit note covered part of an invoice.', object: invoiceSchema },
  'invoice.reopened': { description: 'An invoice is open again (payment reversed, dispute released).', object: invoiceSchema },
  'invoice.cancelled': { description: 'An invoice was cancelled.', object: invoiceSchema },
  'invoice.written_off': { description: 'An invoice was written off.', object: invoiceSchema },
  'invoice.disputed': { description: 'A dispute hold was opened on an invoice.', object: invoiceSchema },
  'invoice.prescription_approaching': {
    description: 'A debt still owed will be time-barred within RELANCE_PRESCRIPTION_ALERT_DAYS (default 90): act (sue, or obtain an acknowledgement) before prescription_date.',
    object: invoiceSchema,
  },
  'payment.created': { description: 'A payment was recorded and allocated.', object: paymentSchema },
  'payment.reversed': { description: 'A payment was reversed.', object: paymentSchema },
  'credit_note.created': { description: 'A credit note was recorded.', object: creditNoteSchema },
  'hold.created': { description: 'Dunning was put on hold for an invoice or debtor.', object: holdSchema },
  'hold.released': { description: 'A hold was released by hand.', object: holdSchema },
  'hold.expired': { description: 'A hold ended by itself (date passed, promise kept or broken).', object: holdSchema },
  'scenario.created': { description: 'A scenario was created (by the API, or Relance seeding its shipped ones) with its version 1.', object: scenarioSchema },
  'scenario.updated': { description: 'A scenario changed: a new definition version, its name, default flag or archiving.', object: scenarioSchema },
  'payment_plan.created': { description: 'A payment plan was agreed.', object: paymentPlanSchema },
  'payment_plan.breached': { description: 'An instalment of a payment plan was missed.', object: paymentPlanSchema },
  'payment_plan.completed': { description: 'A payment plan was paid in full.', object: paymentPlanSchema },
  'payment_plan.cancelled': { description: 'A payment plan was cancelled.', object: paymentPlanSchema },
  'dunning.step_due': { description: 'The engine queued a dunning step (a dispatch) for a debtor.', object: queuedDispatchSchema },
  'dispatch.sent': { description: 'The provider accepted the message (or the task was created).', object: sentDispatchSchema },
  'dispatch.delivered': { description: 'Delivered: read receipt, signed acknowledgement of receipt, or the call reached the debtor.', object: sentDispatchSchema },
  'dispatch.refused': { description: 'The recipient refused the registered letter.', object: sentDispatchSchema },
  'dispatch.not_claimed': { description: 'The registered letter was not claimed in time (negligence, or not collected at the post office).', object: sentDispatchSchema },
  'dispatch.undelivered': { description: 'Not delivered (PND: unknown address…), failure_reason gives the provider code.', object: sentDispatchSchema },
  'dispatch.bounced': { description: 'The email or electronic registered letter bounced.', object: sentDispatchSchema },
  'dispatch.failed': { description: "Relance could not send it; failure_code is the provider's own code or Relance's.", object: sentDispatchSchema },
  'dispatch.cancelled': { description: 'Not sent: the debt was paid, credited or put on hold after it was queued.', object: sentDispatchSchema },
  'dispatch.opened': { description: 'The debtor opened the email (tracking pixel; tenants opted in). Once per dispatch; every open is in its timeline.', object: sentDispatchSchema },
  'dispatch.link_clicked': { description: 'The debtor followed the payment link of the email (tenants opted in). Once per dispatch; every click is in its timeline.', object: sentDispatchSchema },
  'proof.received': { description: 'A proof (deposit, receipt, refusal, negligence, PND, scanned AR) was downloaded and hashed.', object: proofSchema },
  'task.created': { description: 'A call task was created by a call step, with its script.', object: taskSchema },
  'task.completed': { description: 'A call task was completed with its outcome.', object: taskSchema },
  'case.escalated': { description: 'The case was handed off to litigation and frozen; carries the dossier.', object: caseSchema },
  'webhook_endpoint.disabled': {
    description: 'Relance disabled an endpoint: it answered 410 Gone, or every attempt failed for 5 days. Sent to your other endpoints.',
    object: endpointObjectSchema,
  },
  'webhook_endpoint.tested': {
    description: 'Sent by POST /v1/webhook-endpoints/{id}/test, to that endpoint only, to check your verification code.',
    object: endpointObjectSchema,
  },
} as const satisfies Record<EventType, CatalogueEntry>

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as [EventType, ...EventType[]]

/** The body of every delivery (CONVENTIONS.md): the same for an event type on every retry. */
export function eventPayloadSchema(type: EventType) {
  return z.object({
    id: z.string().describe('evt_…; also the webhook-id header: deduplicate on it'),
    type: z.literal(type),
    created_at: z.string().describe('When the event happened, RFC 3339 UTC'),
    tenant_id: z.string(),
    data: z.object({ object: EVENT_CATALOGUE[type].object }),
  })
}
