/**
 * The invoices that carry the sample ledger's plot, fixed relative to `asOf` so the demo's 70 days
 * always show them: a disputed delivery, a promise to pay that is kept, a consumer's payment plan
 * whose second instalment is missed, and debts whose registered letters are refused or not claimed.
 */
import { addDays } from '../src/shared/dates.js'
import { belgianVat, dutchVat, germanVat, italianVat, spanishVat, type Random } from './sample-ledger-ids.js'

export interface StoryInvoice {
  /** Names a story invoice so the dispute, promise and plan can point at it. */
  key: string
  debtorRef: string
  issue: string
  due: string
  total: number
}

export interface StoryPayment {
  key: string
  day: number
  amount: number
  reference: string
}

export function euVat(random: Random, country: string): string {
  const make: Record<string, (r: Random) => string> = { DE: germanVat, BE: belgianVat, IT: italianVat, ES: spanishVat, NL: dutchVat }
  return make[country]!(random)
}

const invoice = (key: string, debtorRef: string, asOf: string, dueIn: number, terms: number, total: number): StoryInvoice => ({
  key, debtorRef, due: addDays(asOf, dueIn), issue: addDays(asOf, dueIn - terms), total,
})

export function storyInvoices(asOf: string) {
  const invoices: StoryInvoice[] = [
    invoice('dispute', 'CLI-0011', asOf, -12, 45, 1_845_000),
    invoice('promise', 'CLI-0005', asOf, -18, 30, 624_000),
    invoice('plan-1', 'CLI-0033', asOf, -40, 15, 89_000),
    invoice('plan-2', 'CLI-0033', asOf, -10, 15, 46_000),
    // Their formal notices go out around day 35 and come back refused / not claimed.
    invoice('refused-lre', 'CLI-0009', asOf, -3, 30, 1_236_000),
    invoice('not-claimed-lre', 'CLI-0013', asOf, -2, 30, 284_400),
    invoice('refused-lrar', 'CLI-0032', asOf, -4, 15, 68_900),
  ]
  const payments: StoryPayment[] = [
    { key: 'plan-1', day: 6, amount: 45_000, reference: 'CB FAURE ECHEANCE 1/3' },
    { key: 'promise', day: 11, amount: 624_000, reference: 'VIR TRANSPORTS ROUX SAS' },
  ]
  return {
    invoices,
    payments,
    dispute: { debtor_external_ref: 'CLI-0011', key: 'dispute', reason_code: 'quality' as const, note: 'Lot 24-117 non conforme au cahier des charges (réserves à la livraison)' },
    promise: {
      debtor_external_ref: 'CLI-0005', key: 'promise', promised_amount: 624_000, promised_currency: 'EUR', promised_date: addDays(asOf, 14),
      note: 'Appel de Mme Roux : virement programmé dès encaissement de son client principal',
    },
    plan: {
      debtor_external_ref: 'CLI-0033', keys: ['plan-1', 'plan-2'],
      // 890 + 460 = 1,350 €: three monthly instalments of 450 €; the second will be missed.
      instalments: [7, 37, 67].map((d) => ({ due_date: addDays(asOf, d), amount: 45_000 })),
    },
  }
}
