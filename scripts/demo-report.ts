/**
 * The demo's closing figures: the aged balance and DSO per currency, and an evidence dossier on
 * disk. `/v1/reports/aging` and `/v1/debtors/{id}/dossier` are being built elsewhere: when the
 * server has them the demo uses them; until then it computes the aging from `GET /v1/invoices`
 * and says so. Those two routes are not in the contract yet, so they are called with plain fetch.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { RelanceClient, Schemas } from '../clients/typescript/index.js'
import { money } from './demo-story.js'

type Invoice = Schemas['Invoice']
const BUCKETS = ['not due', '1-30 days', '31-60 days', '61-90 days', '> 90 days'] as const
const OWED = new Set(['open', 'partially_paid', 'disputed'])

export async function allInvoices(relance: RelanceClient): Promise<Invoice[]> {
  const all: Invoice[] = []
  let after: string | undefined
  for (;;) {
    const page = await relance.get('/v1/invoices', { query: { limit: 100, ...(after ? { starting_after: after } : {}) } })
    all.push(...page.data)
    if (!page.has_more || !page.data.length) return all
    after = page.data[page.data.length - 1]!.id
  }
}

function bucketOf(today: string, due: string): (typeof BUCKETS)[number] {
  const late = Math.round((Date.parse(today) - Date.parse(due)) / 86_400_000)
  return late <= 0 ? BUCKETS[0] : late <= 30 ? BUCKETS[1] : late <= 60 ? BUCKETS[2] : late <= 90 ? BUCKETS[3] : BUCKETS[4]
}

/** Aged balance per currency, and DSO = outstanding ÷ invoiced over the last 90 days × 90. */
export function agingTable(invoices: Invoice[], today: string): string[] {
  const lines = [`  ${'currency'.padEnd(9)}${BUCKETS.map((b) => b.padStart(16)).join('')}${'total'.padStart(16)}${'DSO'.padStart(9)}`]
  const since = new Date(Date.parse(today) - 90 * 86_400_000).toISOString().slice(0, 10)
  for (const currency of [...new Set(invoices.map((i) => i.currency))].sort()) {
    const mine = invoices.filter((i) => i.currency === currency)
    const sums = new Map<string, number>(BUCKETS.map((b) => [b, 0]))
    for (const i of mine) if (OWED.has(i.status)) sums.set(bucketOf(today, i.due_date), sums.get(bucketOf(today, i.due_date))! + i.amount_due)
    const total = [...sums.values()].reduce((a, b) => a + b, 0)
    const sales = mine.filter((i) => i.issue_date > since && i.status !== 'cancelled').reduce((a, i) => a + i.amount_total, 0)
    const dso = sales > 0 ? `${Math.round((total / sales) * 90)} d` : 'n/a'
    lines.push(`  ${currency.padEnd(9)}${BUCKETS.map((b) => money(sums.get(b)!, currency).padStart(16)).join('')}${money(total, currency).padStart(16)}${dso.padStart(9)}`)
  }
  return lines
}

async function probe(base: string, key: string, url: string): Promise<Response | null> {
  const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${key}` } })
  const body = (await res.clone().json().catch(() => ({}))) as { code?: string }
  if (res.status === 404 && body.code === 'route_not_found') return null
  return res
}

export async function agedBalance(relance: RelanceClient, base: string, key: string, today: string): Promise<string[]> {
  const served = await probe(base, key, `/v1/reports/aging?as_of=${today}`)
  if (served?.ok) return ['  from GET /v1/reports/aging:', ...JSON.stringify(await served.json(), null, 2).split('\n').map((l) => `  ${l}`)]
  return ['  (GET /v1/reports/aging is not on this server yet: computed by the demo from GET /v1/invoices)', ...agingTable(await allInvoices(relance), today)]
}

/** Writes the debtor's evidence dossier if the server has the endpoint, else the litigation dossier its webhook carried. */
export async function writeDossier(base: string, key: string, debtorId: string, escalated: unknown, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true })
  const res = await probe(base, key, `/v1/debtors/${debtorId}/dossier`)
  if (res?.ok) {
    const type = res.headers.get('content-type') ?? ''
    const file = path.join(outDir, `dossier-${debtorId}.${type.includes('zip') ? 'zip' : type.includes('pdf') ? 'pdf' : 'json'}`)
    await writeFile(file, Buffer.from(await res.arrayBuffer()))
    return `evidence dossier written to ${file}`
  }
  const note = 'GET /v1/debtors/{id}/dossier is not on this server yet: no evidence dossier.'
  if (!escalated) return note
  const file = path.join(outDir, `case-escalated-${debtorId}.json`)
  await writeFile(file, `${JSON.stringify(escalated, null, 2)}\n`)
  return `${note} The litigation dossier carried by its case.escalated webhook is in ${file}`
}
