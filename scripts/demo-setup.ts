/**
 * The demo's first minute, all through the public HTTP API with the typed client: a sandbox tenant
 * and its key, an SMTP connection, a webhook endpoint, a test clock, the default scenarios, then
 * the sample ledger in bulk, with a dispute, a promise to pay and a payment plan.
 */
import { createClient, type RelanceClient, type Schemas } from '../clients/typescript/index.js'
import type { SampleLedger } from './sample-ledger.js'
import type { World } from './demo-world.js'

export interface Directory {
  debtors: Map<string, { name: string; email?: string }>
  invoices: Map<string, { number: string; amount: number; currency: string; debtorRef: string }>
  invoiceIdByRef: Map<string, string>
  debtorIdByRef: Map<string, string>
}

function idsOf(result: Schemas['BulkResult'] | Schemas['Import'], what: string): Map<string, string> {
  if (result.object !== 'bulk_result') throw new Error(`${what}: expected an immediate answer`)
  const rejected = result.results.filter((r) => r.status === 'rejected')
  if (rejected.length) throw new Error(`${what}: ${JSON.stringify(rejected.slice(0, 3))}`)
  return new Map(result.results.map((r) => [r.external_ref!, r.id!]))
}

export async function setUpTenant(world: World, clockStart: Date, log: (line: string) => void) {
  const platform = createClient({ baseUrl: world.base, apiKey: world.platformKey })
  const tenant = await platform.post('/v1/tenants', { body: { name: 'Relance Démo SAS', mode: 'sandbox', external_ref: 'demo' } })
  const key = await createClient({ baseUrl: world.base, apiKey: world.platformKey, tenant: tenant.id }).post('/v1/api-keys', { body: { name: 'ERP demo' } })
  const secret = key.secret! // shown in the creation answer only
  const relance = createClient({ baseUrl: world.base, apiKey: secret })
  log(`sandbox tenant ${tenant.id} "${tenant.name}", API key ${secret.slice(0, 12)}…`)

  await relance.post('/v1/channel-connections', {
    body: {
      name: 'Local SMTP relay', driver: 'email-smtp', channels: ['email'], credentials: { user: 'demo', pass: 'demo-password' },
      settings: { host: '127.0.0.1', port: world.mailbox.port, secure: false }, sender: { name: 'Relance Démo SAS', email: 'relances@demo.relance.test' },
    },
  })
  const endpoint = await relance.post('/v1/webhook-endpoints', { body: { url: world.receiver.url, enabled_events: ['*'], description: 'ERP (demo receiver)' } })
  world.receiver.state.secret = endpoint.secret! // whsec_…, in the creation answer only
  const clock = await relance.post('/v1/test-clocks', { body: { name: 'demo', frozen_time: clockStart.toISOString() } })
  const defaults = await relance.post('/v1/scenarios/defaults')
  log(`email over SMTP (127.0.0.1:${world.mailbox.port}), registered mail to the AR24 and print-mail simulators, webhooks to ${world.receiver.url}`)
  log(`test clock ${clock.id} at ${clock.frozen_time}; default scenarios: ${defaults.data.map((s) => `"${s.name}"`).join(', ')}`)
  return { relance, clockId: clock.id, key: secret }
}

export async function importLedger(relance: RelanceClient, ledger: SampleLedger, log: (line: string) => void): Promise<Directory> {
  const debtorIdByRef = idsOf(await relance.bulk('debtors', ledger.debtors), 'debtors')
  const invoiceIdByRef = idsOf(await relance.bulk('invoices', ledger.invoices), 'invoices')
  const allocate = (p: SampleLedger['payments'][number]) => {
    const { invoice_external_ref, ...payment } = p
    return { ...payment, allocations: [{ invoice_id: invoiceIdByRef.get(invoice_external_ref)!, amount: p.amount }] }
  }
  const payments = await relance.bulk('payments', ledger.payments.map(allocate))
  const kinds = ledger.debtors.reduce<Record<string, number>>((n, d) => ({ ...n, [d.kind]: (n[d.kind] ?? 0) + 1 }), {})
  log(`imported ${debtorIdByRef.size} debtors (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')}), ${invoiceIdByRef.size} invoices, ${payments.object === 'bulk_result' ? payments.created : 0} payments already received`)

  const debtorId = (ref: string) => debtorIdByRef.get(ref)!
  const invoiceId = (ref: string) => invoiceIdByRef.get(ref)!
  const { dispute, promise, plan } = ledger
  await relance.post('/v1/holds', { body: { kind: 'dispute', debtor_id: debtorId(dispute.debtor_external_ref), invoice_id: invoiceId(dispute.invoice_external_ref), reason_code: dispute.reason_code, note: dispute.note } })
  await relance.post('/v1/holds', {
    body: { kind: 'promise_to_pay', debtor_id: debtorId(promise.debtor_external_ref), invoice_id: invoiceId(promise.invoice_external_ref), promised_amount: promise.promised_amount, promised_currency: promise.promised_currency, promised_date: promise.promised_date, note: promise.note },
  })
  await relance.post('/v1/payment-plans', { body: { debtor_id: debtorId(plan.debtor_external_ref), invoice_ids: plan.invoice_external_refs.map(invoiceId), instalments: plan.instalments } })

  const names = new Map(ledger.debtors.map((d) => [d.external_ref, d.name]))
  log(`dispute on ${dispute.invoice_external_ref} (${names.get(dispute.debtor_external_ref)}), promise to pay by ${promise.promised_date} (${names.get(promise.debtor_external_ref)}), ${plan.instalments.length}-instalment plan (${names.get(plan.debtor_external_ref)})`)

  const directory: Directory = { debtors: new Map(), invoices: new Map(), invoiceIdByRef, debtorIdByRef }
  for (const d of ledger.debtors) directory.debtors.set(debtorId(d.external_ref), { name: d.name, email: d.contacts?.[0]?.email })
  for (const i of ledger.invoices) directory.invoices.set(invoiceId(i.external_ref), { number: i.number, amount: i.amount_total, currency: i.currency, debtorRef: i.debtor_external_ref })
  return directory
}

export function paymentBody(p: SampleLedger['scheduled'][number], directory: Directory): Schemas['CreatePaymentInput'] {
  const { invoice_external_ref, day: _day, ...payment } = p
  return { ...payment, allocations: [{ invoice_id: directory.invoiceIdByRef.get(invoice_external_ref)!, amount: p.amount }] }
}
