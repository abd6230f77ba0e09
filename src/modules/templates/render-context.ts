import { lawFor } from '../law/countries/registry.js'
import type { PenaltyBasis } from '../law/country-law.js'
import { daysLate } from '../law/simple-interest.js'
import { addressLines } from '../letters/postal-address.js'
import { formatDate, formatMoney, formatPercent } from './format.js'
import { INVOICE_TABLE_MARKER, LETTER_CHANNELS } from './template-fields.js'
import type { RenderContext, RenderInput, RenderInvoice, RenderTotal } from './render-context.types.js'

export type { RenderContext, RenderInput } from './render-context.types.js'

const joinMoney = (parts: string[]) => parts.join(' + ')

/** From plain data to the variables templates see: formatted in the message language, every amount from the tenant country's law module. */
export function buildRenderContext(input: RenderInput): RenderContext {
  const lang = input.language
  const money = (minor: number, currency: string) => formatMoney(minor, currency, lang)
  const law = lawFor(input.law.country)
  const tables = input.law.tables
  const claim = input.law.claimPenalties !== false && tables !== null && law !== null
  const kind = input.debtor.kind
  let basis: PenaltyBasis = 'none'
  let currentRate: string | null = null

  const invoices: RenderInvoice[] = input.invoices.map((invoice) => {
    const late = daysLate(invoice.dueDate, input.asOf)
    const penalty = claim && law && tables
      ? law.latePenalty({
          amountDue: invoice.amountDue,
          currency: invoice.currency,
          dueDate: invoice.dueDate,
          asOf: input.asOf,
          debtorKind: kind,
          formalNoticeDate: invoice.formalNoticeDate ?? input.law.formalNoticeDate,
          contractRate: input.law.contractRate,
          tables,
        })
      : null
    const indemnity = claim && law && invoice.amountDue > 0
      ? law.recoveryIndemnity({ debtorKind: kind, daysLate: late, collectiveProceedings: input.law.collectiveProceedings })
      : null
    if (penalty) basis = penalty.basis
    if (penalty?.rate) currentRate = penalty.rate
    return {
      number: invoice.number,
      issue_date: formatDate(invoice.issueDate, lang),
      issue_date_iso: invoice.issueDate,
      due_date: formatDate(invoice.dueDate, lang),
      due_date_iso: invoice.dueDate,
      days_late: late,
      currency: invoice.currency,
      amount: money(invoice.amount, invoice.currency),
      amount_minor: invoice.amount,
      amount_due: money(invoice.amountDue, invoice.currency),
      amount_due_minor: invoice.amountDue,
      penalty: penalty?.amount ? money(penalty.amount, invoice.currency) : '',
      penalty_minor: penalty?.amount ?? 0,
      penalty_rate: penalty?.rate ? formatPercent(penalty.rate, lang) : '',
      indemnity: indemnity?.applicable ? money(indemnity.amount, indemnity.currency) : '',
      indemnity_minor: indemnity?.amount ?? 0,
    }
  })

  const fixedIndemnity = law?.fixedIndemnity
  const totals = totalsPerCurrency(invoices, money, fixedIndemnity?.currency ?? 'EUR')
  const indemnityTotal = invoices.reduce((sum, i) => sum + i.indemnity_minor, 0)
  const indemnityCount = invoices.filter((i) => i.indemnity_minor > 0).length
  const penaltyTotals = totals.filter((t) => t.penalties_minor > 0).map((t) => t.penalties)
  const professional = kind !== 'consumer'

  return {
    language: lang,
    channel: input.channel,
    step_key: input.stepKey,
    today: formatDate(input.asOf, lang),
    today_iso: input.asOf,
    creditor: {
      name: input.creditor.name,
      email: input.creditor.email ?? '',
      phone: input.creditor.phone ?? '',
      website: input.creditor.website ?? '',
      registration_id: input.creditor.registrationId ?? '',
      address_lines: addressLines(input.creditor.postalAddress),
      city: input.creditor.postalAddress?.city ?? '',
      signatory_name: input.creditor.signatoryName ?? '',
      signatory_title: input.creditor.signatoryTitle ?? '',
    },
    debtor: {
      name: input.debtor.name,
      kind,
      is_business: kind === 'business',
      is_consumer: kind === 'consumer',
      is_public_body: kind === 'public_body',
      reference: input.debtor.reference ?? '',
      contact_name: input.debtor.contactName ?? '',
      email: input.debtor.email ?? '',
      phone: input.debtor.phone ?? '',
      address_lines: addressLines(input.debtor.postalAddress, input.creditor.postalAddress?.country ?? 'FR'),
    },
    invoices,
    invoice_count: invoices.length,
    invoice_numbers: invoices.map((i) => i.number).join(', '),
    invoice_table: LETTER_CHANNELS.includes(input.channel) ? INVOICE_TABLE_MARKER : '',
    totals,
    total_due: joinMoney(totals.filter((t) => t.amount_due_minor > 0).map((t) => t.amount_due)),
    total_claimed: joinMoney(totals.filter((t) => t.total_claimed_minor > 0).map((t) => t.total_claimed)),
    law: { country: input.law.country, statutory: law !== null },
    penalties: {
      // Professionals owe them from the due date whether or not they accrued yet; consumers once noticed.
      applicable: claim && basis !== 'none' && (professional || currentRate !== null),
      rate: currentRate ? formatPercent(currentRate, lang) : '',
      rate_decimal: currentRate ?? '',
      basis,
      legal_basis: law ? law.basisWording(basis, lang, 'letter') : '',
      total: joinMoney(penaltyTotals),
    },
    indemnity: {
      applicable: indemnityCount > 0,
      per_invoice: fixedIndemnity ? formatMoney(fixedIndemnity.amount, fixedIndemnity.currency, lang) : '',
      count: indemnityCount,
      total: indemnityTotal && fixedIndemnity ? formatMoney(indemnityTotal, fixedIndemnity.currency, lang) : '',
      total_minor: indemnityTotal,
    },
    payment_link: input.paymentLink ?? '',
    deadline: input.deadline ? formatDate(input.deadline, lang) : '',
    deadline_iso: input.deadline ?? '',
    references: { dispatch_id: input.dispatchId ?? '', debtor_reference: input.debtor.reference ?? '', case_ids: input.caseIds ?? [] },
    promise: input.promise
      ? { amount: money(input.promise.amount, input.promise.currency), amount_minor: input.promise.amount, currency: input.promise.currency, date: formatDate(input.promise.date, lang), date_iso: input.promise.date }
      : null,
    instalment: input.instalment
      ? { number: input.instalment.number, amount: money(input.instalment.amount, input.instalment.currency), amount_minor: input.instalment.amount, currency: input.instalment.currency, due_date: formatDate(input.instalment.dueDate, lang), due_date_iso: input.instalment.dueDate }
      : null,
  }
}

/** The fixed indemnities count under the law's currency (France: EUR), whatever the invoices'. */
function totalsPerCurrency(invoices: RenderInvoice[], money: (minor: number, currency: string) => string, indemnityCurrency: string): RenderTotal[] {
  const sums = new Map<string, { due: number; penalties: number; indemnities: number }>()
  const bucket = (currency: string) => {
    let entry = sums.get(currency)
    if (!entry) sums.set(currency, (entry = { due: 0, penalties: 0, indemnities: 0 }))
    return entry
  }
  for (const invoice of invoices) {
    const entry = bucket(invoice.currency)
    entry.due += invoice.amount_due_minor
    entry.penalties += invoice.penalty_minor
    if (invoice.indemnity_minor) bucket(indemnityCurrency).indemnities += invoice.indemnity_minor
  }
  return [...sums].map(([currency, s]) => ({
    currency,
    amount_due: money(s.due, currency),
    amount_due_minor: s.due,
    penalties: money(s.penalties, currency),
    penalties_minor: s.penalties,
    indemnities: money(s.indemnities, currency),
    indemnities_minor: s.indemnities,
    total_claimed: money(s.due + s.penalties + s.indemnities, currency),
    total_claimed_minor: s.due + s.penalties + s.indemnities,
  }))
}
