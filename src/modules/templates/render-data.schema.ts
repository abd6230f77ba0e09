import type { RateTables } from '../law/rate-tables.js'
import { z } from 'zod'
import { addDays as shift, calendarDateSchema } from '../../shared/dates.js'
import { amountSchema, currencySchema } from '../../shared/money.js'
import { CHANNELS, DEBTOR_KINDS } from '../engine/scenario-definition.js'
import type { RenderInput } from './render-context.types.js'

/** The data a preview renders with (snake_case over the API); every part has a sample default. */
const postalAddressSchema = z.strictObject({
  lines: z.array(z.string().max(38)).min(1).max(6),
  postcode: z.string().max(12),
  city: z.string().max(60),
  country: z.string().regex(/^[A-Z]{2}$/),
})

export const renderDataSchema = z
  .strictObject({
    as_of: calendarDateSchema.optional().describe('The day the message is written; penalties run to it. Default: today'),
    creditor: z
      .strictObject({
        name: z.string().min(1).max(200),
        email: z.string().max(254).optional(),
        phone: z.string().max(40).optional(),
        website: z.string().max(200).optional(),
        registration_id: z.string().max(40).optional(),
        postal_address: postalAddressSchema.optional(),
        signatory_name: z.string().max(100).optional(),
        signatory_title: z.string().max(100).optional(),
      })
      .optional(),
    debtor: z
      .strictObject({
        name: z.string().min(1).max(200),
        kind: z.enum(DEBTOR_KINDS),
        reference: z.string().max(100).optional(),
        contact_name: z.string().max(100).optional(),
        email: z.string().max(254).optional(),
        phone: z.string().max(40).optional(),
        postal_address: postalAddressSchema.optional(),
      })
      .optional(),
    invoices: z
      .array(
        z.strictObject({
          number: z.string().min(1).max(100),
          issue_date: calendarDateSchema,
          due_date: calendarDateSchema,
          amount: amountSchema,
          amount_due: amountSchema,
          currency: currencySchema,
        }),
      )
      .min(1)
      .max(50)
      .optional(),
    payment_link: z.string().max(2000).optional(),
    deadline: calendarDateSchema.optional(),
    formal_notice_date: calendarDateSchema.optional(),
    step_key: z.string().max(50).optional(),
  })
  .meta({ id: 'TemplatePreviewData' })

export type RenderData = z.infer<typeof renderDataSchema>

const SAMPLE_ADDRESS = { lines: ['12 rue de la Paix'], postcode: '75002', city: 'Paris', country: 'FR' }

/**
 * A realistic message: a French supplier, a business debtor, two invoices a month late.
 * `law`: the tenant's country and its module's rate tables, or null tables where amounts do not
 * matter (template checks).
 */
export function renderInputFromData(
  data: RenderData,
  channel: (typeof CHANNELS)[number],
  language: string,
  today: string,
  law: { country: string; tables: RateTables | null },
): RenderInput {
  const creditor = data.creditor ?? {
    name: 'Atelier Dupont SAS',
    email: 'compta@atelier-dupont.fr',
    phone: '01 23 45 67 89',
    registration_id: 'RCS Paris 123 456 789',
    postal_address: SAMPLE_ADDRESS,
    signatory_name: 'Claire Martin',
    signatory_title: 'Responsable comptabilité clients',
  }
  const debtor = data.debtor ?? {
    name: 'Boulangerie Leroy SARL',
    kind: 'business' as const,
    reference: 'CLI-0042',
    contact_name: 'Paul Leroy',
    email: 'paul@boulangerie-leroy.fr',
    postal_address: { lines: ['Service comptabilité', '8 avenue Jean Jaurès'], postcode: '69007', city: 'Lyon', country: 'FR' },
  }
  const asOf = data.as_of ?? today
  const invoices = data.invoices ?? [
    { number: 'F-2025-0101', issue_date: shift(asOf, -75), due_date: shift(asOf, -45), amount: 123_456, amount_due: 123_456, currency: 'EUR' },
    { number: 'F-2025-0117', issue_date: shift(asOf, -60), due_date: shift(asOf, -30), amount: 50_000, amount_due: 20_000, currency: 'EUR' },
  ]
  return {
    language,
    channel,
    stepKey: data.step_key ?? 'preview',
    asOf,
    creditor: {
      name: creditor.name, email: creditor.email, phone: creditor.phone, website: creditor.website,
      registrationId: creditor.registration_id, postalAddress: creditor.postal_address,
      signatoryName: creditor.signatory_name, signatoryTitle: creditor.signatory_title,
    },
    debtor: {
      name: debtor.name, kind: debtor.kind, reference: debtor.reference, contactName: debtor.contact_name,
      email: debtor.email, phone: debtor.phone, postalAddress: debtor.postal_address,
    },
    invoices: invoices.map((i) => ({ number: i.number, issueDate: i.issue_date, dueDate: i.due_date, amount: i.amount, amountDue: i.amount_due, currency: i.currency })),
    law: { country: law.country, formalNoticeDate: data.formal_notice_date, tables: law.tables },
    paymentLink: data.payment_link ?? 'https://pay.example.com/i/sample',
    deadline: data.deadline ?? shift(asOf, 8),
    dispatchId: 'dsp_preview',
    promise: { amount: 50_000, currency: invoices[0]!.currency, date: shift(asOf, 10) },
    instalment: { number: 2, amount: 25_000, currency: invoices[0]!.currency, dueDate: shift(asOf, -3) },
  }
}
