/**
 * A realistic sample ledger, the same for the same seed: 36 French and European debtors
 * (scripts/sample-ledger-profiles.ts) with valid SIREN/SIRET/VAT numbers, about 300 invoices issued
 * over the 5 months before `asOf`, the payments already received (some partial), a dispute, a promise
 * to pay, a payment plan, and the payments debtors will make over the following weeks.
 * Lines are in the bulk-import shape (`/v1/debtors/bulk`…); the demo and benchmarks import them.
 */
import type { BulkLines } from '../clients/typescript/index.js'
import { addDays } from '../src/shared/dates.js'
import { frenchVat, phone, seededRandom, siren, siret, type Random } from './sample-ledger-ids.js'
import { DEBTOR_PROFILES, LANGUAGE, TIMEZONE, type DebtorProfile } from './sample-ledger-profiles.js'
import { euVat, storyInvoices } from './sample-ledger-story.js'

export type DebtorLine = BulkLines['debtors']
export type InvoiceLine = BulkLines['invoices'] & { currency: string; amount_total: number; due_date: string; debtor_external_ref: string }

export interface PaymentLine {
  external_ref: string
  debtor_external_ref: string
  /** The invoice it pays: the importer turns it into an allocation once invoice ids are known. */
  invoice_external_ref: string
  amount: number
  currency: string
  received_on: string
  method: 'transfer' | 'direct_debit' | 'cheque' | 'card'
  reference: string
}

/** A payment the debtor makes `day` days after `asOf`, during the demo's run. */
export interface ScheduledPayment extends PaymentLine {
  day: number
}

export interface SampleLedger {
  asOf: string
  debtors: DebtorLine[]
  invoices: InvoiceLine[]
  payments: PaymentLine[]
  dispute: { debtor_external_ref: string; invoice_external_ref: string; reason_code: 'quality'; note: string }
  promise: { debtor_external_ref: string; invoice_external_ref: string; promised_amount: number; promised_currency: string; promised_date: string; note: string }
  plan: { debtor_external_ref: string; invoice_external_refs: string[]; instalments: { due_date: string; amount: number }[] }
  scheduled: ScheduledPayment[]
}

const INVOICES_PER: Record<string, [number, number]> = { grand_compte: [20, 26], eti: [12, 16], pme: [7, 11], tpe: [4, 7], public_body: [6, 9], consumer: [1, 3] }
/** Amounts including tax, in euros: log-uniform between the bounds. */
const AMOUNT_RANGE: Record<string, [number, number]> = { grand_compte: [8_000, 250_000], eti: [3_000, 90_000], pme: [800, 25_000], tpe: [150, 4_000], public_body: [500, 40_000], consumer: [40, 1_500] }
const TERMS: Record<string, number> = { grand_compte: 60, eti: 45, pme: 30, tpe: 30, public_body: 30, consumer: 15 }

const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1))
const classOf = (p: DebtorProfile) => p.segment ?? p.kind
const currencyOf = (p: DebtorProfile) => (p.country === 'CH' ? 'CHF' : 'EUR')
const ascii = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '')

function debtorLine(p: DebtorProfile, random: Random, asOf: string): DebtorLine {
  const business = p.kind !== 'consumer'
  const email = `${p.mailbox ?? (business ? 'comptabilite' : ascii(p.contact))}@${p.domain}`
  const line: DebtorLine = {
    external_ref: p.ref,
    kind: p.kind,
    name: p.name,
    country: p.country,
    language: LANGUAGE[p.country],
    timezone: TIMEZONE[p.country],
    segment: p.segment,
    contacts: [{ name: p.contact, ...(business ? { role: 'Comptabilité' } : {}), email, phone: phone(random, p.country, !business) }],
    address: { lines: business ? [`Att. ${p.contact}`.slice(0, 38), p.street] : [p.street], postcode: p.postcode, city: p.city, country: p.country },
    metadata: { erp_account: `411${p.ref.slice(4)}`, ...(p.outcome ? { sandbox_outcome: p.outcome } : {}) },
  }
  if (p.country === 'FR' && business) {
    const id = siren(random, p.kind === 'public_body')
    Object.assign(line, { siren: id, siret: siret(id, between(random, 1, 40)), ...(p.kind === 'business' ? { vat_number: frenchVat(id) } : {}) })
  } else if (business && p.country !== 'CH') line.vat_number = euVat(random, p.country)
  if (p.lreConsent) line.lre_consent = { on: addDays(asOf, -between(random, 100, 700)), means: 'Case cochée à la souscription en ligne, horodatée et archivée' }
  return line
}

/** Euros (log-uniform), as minor units with cents; round hundreds more often, as people quote. */
function amountOf(random: Random, [low, high]: [number, number]): number {
  const euros = Math.exp(Math.log(low) + random() * (Math.log(high) - Math.log(low)))
  return random() < 0.3 ? Math.round(euros / 100) * 10_000 : Math.round(euros * 100)
}

function taxOf(p: DebtorProfile, total: number): number {
  // 20 % French VAT; intra-EU B2B is reverse-charged and Switzerland is an export: no French VAT.
  return p.country === 'FR' ? total - Math.round(total / 1.2) : 0
}

interface Draft {
  profile: DebtorProfile
  issue: string
  due: string
  total: number
  /** Set on the story's invoices (sample-ledger-story.ts). */
  key?: string
}

function routineInvoices(random: Random, asOf: string): Draft[] {
  return DEBTOR_PROFILES.flatMap((p) => {
    const [min, max] = INVOICES_PER[classOf(p)]!
    return Array.from({ length: between(random, min, max) }, (): Draft => {
      const issue = addDays(asOf, -between(random, 0, 150))
      const total = amountOf(random, AMOUNT_RANGE[classOf(p)]!)
      return { profile: p, issue, due: addDays(issue, TERMS[classOf(p)]!), total }
    })
  })
}

/** How much of an invoice was paid before `asOf`, by how late it is: old debts are mostly settled. */
function paidShare(random: Random, overdueDays: number): number {
  const r = random()
  if (overdueDays > 45) return r < 0.9 ? 1 : r < 0.95 ? 0.5 : 0
  if (overdueDays > 15) return r < 0.7 ? 1 : r < 0.78 ? 0.4 : 0
  if (overdueDays > 0) return r < 0.4 ? 1 : 0
  return r < 0.1 ? 1 : 0
}

export function generateSampleLedger(options: { seed?: number; asOf: string }): SampleLedger {
  const { asOf } = options
  const random = seededRandom(options.seed ?? 20_260_301)
  const debtors = DEBTOR_PROFILES.map((p) => debtorLine(p, random, asOf))
  const profiles = new Map(DEBTOR_PROFILES.map((p) => [p.ref, p]))
  const story = storyInvoices(asOf)
  const drafts: Draft[] = [...routineInvoices(random, asOf), ...story.invoices.map((s) => ({ ...s, profile: profiles.get(s.debtorRef)! }))]
  drafts.sort((a, b) => a.issue.localeCompare(b.issue) || a.profile.ref.localeCompare(b.profile.ref))

  const invoices: InvoiceLine[] = []
  const payments: PaymentLine[] = []
  const scheduled: ScheduledPayment[] = []
  const byKey = new Map<string, InvoiceLine>()
  const payment = (inv: InvoiceLine, p: DebtorProfile, amount: number, on: string): PaymentLine => {
    const method = p.kind === 'consumer' ? 'card' : p.kind === 'public_body' || random() > 0.15 ? 'transfer' : 'cheque'
    const reference = `${method === 'cheque' ? 'CHQ' : method === 'card' ? 'CB' : 'VIR'} ${p.name.slice(0, 22).toUpperCase()} ${inv.number}`
    return { external_ref: `RGT-${inv.number}-${on}`, debtor_external_ref: p.ref, invoice_external_ref: inv.external_ref, amount, currency: inv.currency, received_on: on, method, reference }
  }
  drafts.forEach((d, i) => {
    const number = `FA-${d.issue.slice(0, 4)}-${String(i + 1).padStart(5, '0')}`
    const inv: InvoiceLine = {
      external_ref: number, number, debtor_external_ref: d.profile.ref, currency: currencyOf(d.profile), amount_total: d.total,
      amount_tax: taxOf(d.profile, d.total), issue_date: d.issue, due_date: d.due, metadata: { erp_journal: 'VT' },
    }
    invoices.push(inv)
    if (d.key) {
      byKey.set(d.key, inv)
      return
    }
    const overdue = Math.round((Date.parse(asOf) - Date.parse(d.due)) / 86_400_000)
    const share = d.profile.outcome ? 0 : paidShare(random, overdue)
    if (share > 0) {
      const on = addDays(d.due, Math.min(overdue - 1, between(random, -5, 30))) // at the latest yesterday
      if (on >= d.issue && on < asOf) payments.push(payment(inv, d.profile, share === 1 ? d.total : Math.round(d.total * share), on))
    }
    // Over the run, some debts still owed get paid, often a little after a reminder.
    if (share < 1 && !d.profile.outcome && random() < 0.45) {
      const day = Math.max(2, overdue > 0 ? between(random, 3, 40) : -overdue + between(random, 2, 25))
      const rest = d.total - (share > 0 ? Math.round(d.total * share) : 0)
      if (day < 68) scheduled.push({ ...payment(inv, d.profile, rest, addDays(asOf, day)), day })
    }
  })
  for (const p of story.payments) {
    const inv = byKey.get(p.key)!
    scheduled.push({ ...payment(inv, profiles.get(inv.debtor_external_ref)!, p.amount, addDays(asOf, p.day)), reference: p.reference, day: p.day })
  }
  scheduled.sort((a, b) => a.day - b.day || a.external_ref.localeCompare(b.external_ref))
  const refOf = (key: string) => byKey.get(key)!.external_ref
  const { key: disputeKey, ...dispute } = story.dispute
  const { key: promiseKey, ...promise } = story.promise
  return {
    asOf, debtors, invoices, payments, scheduled,
    dispute: { ...dispute, invoice_external_ref: refOf(disputeKey) },
    promise: { ...promise, invoice_external_ref: refOf(promiseKey) },
    plan: { debtor_external_ref: story.plan.debtor_external_ref, invoice_external_refs: story.plan.keys.map(refOf), instalments: story.plan.instalments },
  }
}
