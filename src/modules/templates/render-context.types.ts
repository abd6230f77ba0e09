import type { PostalAddress } from '../channels/channel-driver.js'
import type { Channel } from '../engine/scenario-definition.js'
import type { RateTables } from '../law/rate-tables.js'

/**
 * What the dispatch loop knows about a message, as plain data (camelCase, integer minor units,
 * ISO dates). buildRenderContext turns it into the RenderContext templates see.
 */
export interface RenderInput {
  language: string
  channel: Channel
  stepKey: string
  /** The day the message is written, YYYY-MM-DD (the tenant's clock): penalties are computed to it. */
  asOf: string
  creditor: {
    name: string
    email?: string
    phone?: string
    website?: string
    registrationId?: string
    postalAddress?: PostalAddress
    signatoryName?: string
    signatoryTitle?: string
  }
  debtor: {
    name: string
    kind: 'business' | 'consumer' | 'public_body'
    /** The creditor's own reference for the debtor (customer number, external_ref). */
    reference?: string
    contactName?: string
    email?: string
    phone?: string
    postalAddress?: PostalAddress
  }
  invoices: Array<{
    number: string
    issueDate: string
    dueDate: string
    /** Invoice total, minor units. */
    amount: number
    /** Still unpaid, minor units. */
    amountDue: number
    currency: string
    /** This invoice's formal notice already sent (law/formal-notice.ts), for consumer interest. */
    formalNoticeDate?: string
  }>
  law: {
    /**
     * The tenant's country: its module (law/countries/registry.ts) computes every amount. A country
     * without one shows no penalty and no indemnity, never another country's.
     */
    country: string
    /** Set to false to leave penalties and the indemnity out (a courteous pre-due reminder). */
    claimPenalties?: boolean
    /** Date of the formal notice already sent, for invoices that do not carry their own (previews). */
    formalNoticeDate?: string
    contractRate?: string
    collectiveProceedings?: boolean
    /**
     * The dated rates of that country's module (law/governing-law.ts loadRateTables).
     * Required so no caller forgets them; null only where no amount is shown (template checks):
     * then no penalty or indemnity is computed.
     */
    tables: RateTables | null
  }
  paymentLink?: string
  /** Pay-by date the message sets, YYYY-MM-DD. */
  deadline?: string
  dispatchId?: string
  caseIds?: string[]
  promise?: { amount: number; currency: string; date: string }
  instalment?: { number: number; amount: number; currency: string; dueDate: string }
}

/** Variables available to templates; every one is documented in docs/templates.md. */
export interface RenderContext {
  language: string
  channel: Channel
  step_key: string
  today: string
  today_iso: string
  creditor: {
    name: string
    email: string
    phone: string
    website: string
    registration_id: string
    address_lines: string[]
    city: string
    signatory_name: string
    signatory_title: string
  }
  debtor: {
    name: string
    kind: string
    is_business: boolean
    is_consumer: boolean
    is_public_body: boolean
    reference: string
    contact_name: string
    email: string
    phone: string
    address_lines: string[]
  }
  invoices: RenderInvoice[]
  invoice_count: number
  invoice_numbers: string
  /** Letter channels: a marker the letter PDF replaces with the invoice table; empty elsewhere. */
  invoice_table: string
  totals: RenderTotal[]
  total_due: string
  total_claimed: string
  /** The law amounts are computed under: the tenant's country, and whether Relance has a module for it. */
  law: { country: string; statutory: boolean }
  penalties: {
    applicable: boolean
    /** Rate in force on `today`, formatted ("12,15 %"); empty when no penalty accrues. */
    rate: string
    rate_decimal: string
    basis: string
    /** The legal wording of the basis, in the message language. */
    legal_basis: string
    total: string
  }
  indemnity: {
    applicable: boolean
    per_invoice: string
    count: number
    total: string
    total_minor: number
  }
  payment_link: string
  deadline: string
  deadline_iso: string
  references: { dispatch_id: string; debtor_reference: string; case_ids: string[] }
  promise: { amount: string; amount_minor: number; currency: string; date: string; date_iso: string } | null
  instalment: { number: number; amount: string; amount_minor: number; currency: string; due_date: string; due_date_iso: string } | null
}

export interface RenderInvoice {
  number: string
  issue_date: string
  issue_date_iso: string
  due_date: string
  due_date_iso: string
  days_late: number
  currency: string
  amount: string
  amount_minor: number
  amount_due: string
  amount_due_minor: number
  penalty: string
  penalty_minor: number
  penalty_rate: string
  indemnity: string
  indemnity_minor: number
}

/** Per currency; amounts in different currencies are never added together. The €40 indemnities count under EUR. */
export interface RenderTotal {
  currency: string
  amount_due: string
  amount_due_minor: number
  penalties: string
  penalties_minor: number
  indemnities: string
  indemnities_minor: number
  total_claimed: string
  total_claimed_minor: number
}
