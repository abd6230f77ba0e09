import { newId } from '../../src/shared/ids.js'

/** Deterministic synthetic receivables: the same invoice i for our path and for COPY. */
export interface InvoiceData {
  ref: string
  debtorRef: string
  number: string
  total: number
  tax: number
  issue: string
  due: string
  erp: string
}

const DAY = 86_400_000
const START = Date.UTC(2026, 0, 1)
const dates = Array.from({ length: 400 }, (_, d) => new Date(START + d * DAY).toISOString().slice(0, 10))

export function invoice(i: number, debtors: number): InvoiceData {
  const total = 1_000 + ((i * 7_919) % 500_000)
  return {
    ref: `INV-${i}`,
    debtorRef: `D-${i % debtors}`,
    number: `F-2026-${i}`,
    total,
    tax: Math.floor(total / 6),
    issue: dates[i % 365]!,
    due: dates[(i % 365) + 30]!,
    erp: `E${i}`,
  }
}

export const debtorJson = (i: number) => JSON.stringify({ kind: 'business', name: `Client ${i}`, country: 'FR', external_ref: `D-${i}` })

export function invoiceJson(i: number, debtors: number): string {
  const v = invoice(i, debtors)
  return JSON.stringify({
    debtor_external_ref: v.debtorRef,
    number: v.number,
    currency: 'EUR',
    amount_total: v.total,
    amount_tax: v.tax,
    issue_date: v.issue,
    due_date: v.due,
    external_ref: v.ref,
    metadata: { erp: v.erp },
  })
}

/** Lines [from, to) as NDJSON, a few thousand per buffer. */
export async function* ndjson(from: number, to: number, line: (i: number) => string, batch = 2_000): AsyncGenerator<Buffer> {
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch)
    const lines: string[] = []
    for (let i = start; i < end; i++) lines.push(line(i))
    yield Buffer.from(`${lines.join('\n')}\n`)
  }
}

/** The same invoices as COPY text rows, with what Relance would store for them. */
export async function* copyRows(
  tenantId: string,
  count: number,
  debtors: number,
  debtorIds: Map<string, string>,
  batch = 5_000,
): AsyncGenerator<Buffer> {
  const now = new Date().toISOString()
  for (let start = 0; start < count; start += batch) {
    const rows: string[] = []
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const v = invoice(i, debtors)
      const fields = [tenantId, newId('invoice'), debtorIds.get(v.debtorRef)!, v.number, 'EUR', v.total, v.tax, v.total - v.tax, v.issue, v.due, 'open', now, v.ref, JSON.stringify({ erp: v.erp })]
      rows.push(fields.join('\t'))
    }
    yield Buffer.from(`${rows.join('\n')}\n`)
  }
}
