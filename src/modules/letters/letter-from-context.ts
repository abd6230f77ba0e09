import type { RenderContext } from '../templates/render-context.types.js'
import { LETTER_LABELS, type LetterInput } from './letter-input.js'

const TOTAL_LABELS = {
  fr: { due: 'Total restant dû', penalties: 'Pénalités de retard au', indemnities: 'Indemnités forfaitaires de recouvrement', claimed: 'Total réclamé' },
  en: { due: 'Total outstanding', penalties: 'Late-payment penalties as of', indemnities: 'Fixed recovery indemnities', claimed: 'Total claimed' },
}

/**
 * The letter for a rendered letter-channel template: identities and the invoice table come from
 * the render context, the wording (subject, body) from the template.
 */
export function letterFromContext(
  context: RenderContext,
  rendered: { subject: string; body: string },
  registered?: LetterInput['registered'],
): LetterInput {
  const lang = context.language === 'fr' ? 'fr' : 'en'
  const words = TOTAL_LABELS[lang]
  const totals: LetterInput['totals'] = []
  for (const total of context.totals) {
    const suffix = context.totals.length > 1 ? ` (${total.currency})` : ''
    if (total.amount_due_minor > 0) totals.push({ label: words.due + suffix, value: total.amount_due, strong: true })
    if (total.penalties_minor > 0) totals.push({ label: `${words.penalties} ${context.today}${suffix}`, value: total.penalties })
    if (total.indemnities_minor > 0) totals.push({ label: `${words.indemnities}${suffix}`, value: total.indemnities })
    if (total.total_claimed_minor !== total.amount_due_minor) totals.push({ label: words.claimed + suffix, value: total.total_claimed, strong: true })
  }
  const references: LetterInput['references'] = []
  if (context.debtor.reference) references.push({ label: lang === 'fr' ? 'Réf. client' : 'Customer ref.', value: context.debtor.reference })
  if (context.invoice_numbers) references.push({ label: lang === 'fr' ? 'Factures' : 'Invoices', value: context.invoice_numbers })
  if (context.references.dispatch_id) references.push({ label: lang === 'fr' ? 'Notre réf.' : 'Our ref.', value: context.references.dispatch_id })
  return {
    sender: {
      name: context.creditor.name,
      addressLines: context.creditor.address_lines,
      email: context.creditor.email || undefined,
      phone: context.creditor.phone || undefined,
      registrationId: context.creditor.registration_id || undefined,
    },
    recipient: { name: context.debtor.name, addressLines: context.debtor.address_lines },
    place: context.creditor.city,
    date: context.today,
    labels: LETTER_LABELS[lang],
    registered,
    references,
    subject: rendered.subject,
    body: rendered.body,
    invoices: context.invoices.map((i) => ({ number: i.number, issueDate: i.issue_date, dueDate: i.due_date, amountDue: i.amount_due })),
    totals,
    signature: { company: context.creditor.name, name: context.creditor.signatory_name || undefined, title: context.creditor.signatory_title || undefined },
  }
}
