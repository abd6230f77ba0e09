import type { Tx } from '../../db/client.js'
import type { ConnectionContext, OutgoingMessage, Recipient } from '../channels/channel-driver.js'
import { lawFor } from '../law/countries/registry.js'
import { FORMAL_NOTICE_CHANNELS, FORMAL_NOTICE_STEP } from '../law/formal-notice.js'
import { letterFromContext } from '../letters/letter-from-context.js'
import { renderLetterPdf } from '../letters/letter-pdf.js'
import { buildRenderContext } from '../templates/render-context.js'
import { renderMessage } from '../templates/render-message.js'
import { LETTER_CHANNELS } from '../templates/template-fields.js'
import type { ClaimedDispatch } from './dispatch-claim.repository.js'
import { fetchMaterial, type MessageMaterial } from './message-material.js'

export interface BuiltMessage {
  message: OutgoingMessage
  /** What is kept on the dispatch: the rendered words, never the attachments' bytes. */
  content: Record<string, unknown>
  letterSha256: string | null
}

/** Renders from a transaction (one message) or from what the batch fetched beforehand (the dispatch loop). */
export type MessageBuilder = (source: Tx | MessageMaterial, d: ClaimedDispatch, conn: Pick<ConnectionContext, 'sender'>, now: Date) => Promise<BuiltMessage>

function recipientOf(d: ClaimedDispatch): Recipient {
  const contact = d.debtor.contacts.find((c) => c.email) ?? d.debtor.contacts[0]
  return {
    name: d.debtor.name,
    kind: d.debtor.kind,
    email: d.debtor.contacts.find((c) => c.email)?.email,
    phone: d.debtor.contacts.find((c) => c.phone)?.phone,
    postalAddress: d.debtor.address ?? undefined,
    language: d.language,
    ...(contact?.name && { contactName: contact.name }),
  }
}

/** The invoices a message is about: those still owed, or all of them for an event step (thank-you…). */
const owedInvoices = (d: ClaimedDispatch) => d.invoices.filter((i) => i.amount_due > 0 || d.step_key === 'thank_you' || d.step_key.includes(':'))

/** The payment link a message shows: the first of its invoices that has one. */
export const paymentLinkOf = (d: ClaimedDispatch): string | null => owedInvoices(d).find((i) => i.payment_link)?.payment_link ?? null

/**
 * Renders one dispatch: the tenant's template (or Relance's) with the debtor, the invoices still
 * owed, penalties and indemnity as of the tenant's day; letters become a PDF with the invoices
 * appended; emails carry the invoice PDFs.
 */
export const buildMessage: MessageBuilder = async (source, d, conn, now) => {
  const material = 'invoicePdfs' in source ? source : await fetchMaterial(source, [d])
  const owed = owedInvoices(d)
  const law = lawFor(d.tenant_country)
  const context = buildRenderContext({
    language: d.language,
    channel: d.channel,
    stepKey: d.step_key,
    asOf: now.toISOString().slice(0, 10),
    creditor: { name: conn.sender.name, email: conn.sender.email, phone: conn.sender.phone, registrationId: conn.sender.registrationId, postalAddress: conn.sender.postalAddress },
    debtor: {
      name: d.debtor.name,
      kind: d.debtor.kind,
      reference: d.debtor.external_ref ?? undefined,
      email: d.debtor.contacts.find((c) => c.email)?.email,
      phone: d.debtor.contacts.find((c) => c.phone)?.phone,
      postalAddress: d.debtor.address ?? undefined,
    },
    invoices: owed.map((i) => ({
      number: i.number, issueDate: i.issue_date, dueDate: i.due_date, amount: Number(i.amount_total), amountDue: Number(i.amount_due), currency: i.currency,
      formalNoticeDate: i.formal_notice_date ?? undefined,
    })),
    // Amounts under the tenant's country law, stated by formal letters only; a country without a module states none.
    law: {
      country: d.tenant_country,
      claimPenalties: FORMAL_NOTICE_CHANNELS.includes(d.channel) || d.step_key === FORMAL_NOTICE_STEP,
      tables: law && material.rateTables(law),
    },
    paymentLink: paymentLinkOf(d) ?? undefined,
    dispatchId: d.dispatch_id,
  })
  const rendered = await renderMessage(material.templates, d.tenant_id, { key: d.template, channel: d.channel, language: d.language }, context)
  const attachments = material.invoicePdfs(d)
  const base = { dispatchId: d.dispatch_id, tenantId: d.tenant_id, channel: d.channel, recipient: recipientOf(d), subject: rendered.subject ?? '' }
  const content = { template: rendered.template, subject: rendered.subject ?? null, text: rendered.text ?? rendered.body ?? rendered.script ?? null, html: rendered.html ?? null }
  if (LETTER_CHANNELS.includes(d.channel) && d.channel !== 'litigation_handoff') {
    const letter = letterFromContext(context, { subject: rendered.subject ?? '', body: rendered.body ?? '' }, d.channel === 'registered_letter' ? 'postal' : d.channel === 'registered_email' ? 'electronic' : undefined)
    const { pdf, sha256 } = await renderLetterPdf(letter, attachments.map((a) => a.content))
    return {
      message: { ...base, text: rendered.text ?? rendered.body, html: rendered.html, letterPdf: pdf, attachments: [] },
      content: { ...content, letter_sha256: sha256, letter_bytes: pdf.length },
      letterSha256: sha256,
    }
  }
  return { message: { ...base, text: rendered.text ?? rendered.script, html: rendered.html, attachments }, content, letterSha256: null }
}
