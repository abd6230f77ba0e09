/**
 * The soak's tenant, set up through the public API like an ERP would: a sandbox tenant and its key,
 * an SMTP connection (real credentials, sealed at rest), a webhook endpoint to the receiver, a test
 * clock, the default scenarios, and the sample ledger (36 debtors, ~300 invoices, their payments).
 */
import { createClient, type RelanceClient, type Schemas } from '../../clients/typescript/index.js'
import { generateSampleLedger } from '../sample-ledger.js'
import type { SoakWorld } from './soak-world.js'

export interface SoakTenant {
  relance: RelanceClient
  key: string
  clockId: string
  debtors: { ref: string; id: string; currency: string }[]
  invoiceIds: string[]
  /** Every secret the run handled, searched for in the server's log afterwards. */
  secrets: { what: string; value: string }[]
}

export function idsOf(result: Schemas['BulkResult'] | Schemas['Import'], what: string): Map<string, string> {
  if (result.object !== 'bulk_result') throw new Error(`${what}: expected an immediate answer, got an import job`)
  const rejected = result.results.filter((r) => r.status === 'rejected')
  if (rejected.length) throw new Error(`${what}: ${rejected.length} lines rejected, e.g. ${JSON.stringify(rejected.slice(0, 2))}`)
  return new Map(result.results.map((r) => [r.external_ref!, r.id!]))
}

export async function setUpSoakTenant(world: SoakWorld, clockStart: Date): Promise<SoakTenant> {
  const platform = createClient({ baseUrl: world.base, apiKey: world.platformKey })
  const tenant = await platform.post('/v1/tenants', { body: { name: 'Soak SAS', mode: 'sandbox', external_ref: 'soak' } })
  const created = await createClient({ baseUrl: world.base, apiKey: world.platformKey, tenant: tenant.id }).post('/v1/api-keys', { body: { name: 'soak' } })
  const key = created.secret!
  // A request that hangs would silently stop the writer or the ticker: after 2 minutes it fails, and counts.
  const relance = createClient({ baseUrl: world.base, apiKey: key, fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(120_000) }) })

  const smtpPassword = `soak-smtp-${Math.random().toString(36).slice(2, 12)}`
  await relance.post('/v1/channel-connections', {
    body: {
      name: 'SMTP relay', driver: 'email-smtp', channels: ['email'], credentials: { user: 'soak-mailer', pass: smtpPassword },
      settings: { host: '127.0.0.1', port: world.peers.smtpPort, secure: false }, sender: { name: 'Soak SAS', email: 'relances@soak.relance.test' },
    },
  })
  const endpoint = await relance.post('/v1/webhook-endpoints', { body: { url: world.peers.receiver, enabled_events: ['*'], description: 'soak receiver' } })
  world.sendWebhookSecret(endpoint.secret!)
  const clock = await relance.post('/v1/test-clocks', { body: { name: 'soak', frozen_time: clockStart.toISOString() } })
  await relance.post('/v1/scenarios/defaults')

  const ledger = generateSampleLedger({ asOf: clockStart.toISOString().slice(0, 10) })
  const debtorIds = idsOf(await relance.bulk('debtors', ledger.debtors), 'debtors')
  const invoiceIds = idsOf(await relance.bulk('invoices', ledger.invoices), 'invoices')
  const payments = ledger.payments.map(({ invoice_external_ref, ...p }) => ({ ...p, allocations: [{ invoice_id: invoiceIds.get(invoice_external_ref)!, amount: p.amount }] }))
  idsOf(await relance.bulk('payments', payments), 'payments')

  const currency = new Map(ledger.invoices.map((i) => [i.debtor_external_ref, i.currency]))
  return {
    relance,
    key,
    clockId: clock.id,
    debtors: [...debtorIds].map(([ref, id]) => ({ ref, id, currency: currency.get(ref) ?? 'EUR' })),
    invoiceIds: [...invoiceIds.values()],
    secrets: [
      { what: 'tenant API key', value: key },
      { what: 'platform key', value: world.platformKey },
      { what: 'webhook secret', value: endpoint.secret! },
      { what: 'SMTP password', value: smtpPassword },
    ],
  }
}
