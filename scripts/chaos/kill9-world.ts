/**
 * The kill -9 run's ledger, loaded through the HTTP API as an ERP would: live tenants on the
 * default scenario, each with its own SMTP, AR24 and print-mail connections pointed at the
 * providers process; debtors (businesses, and consumers without consent to electronic registered
 * mail, who get postal LRAR) with a few overdue invoices each. Due dates fall on five days before
 * the first instant, so the ladder (email, email, call, letter, formal notice, litigation) plays
 * out over many instants, with several debtor groups at different steps on the same day: more
 * phases with work for the kills to land in.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { ProviderAddresses } from './providers-process.js'

export type Inject = (options: InjectOptions) => Promise<LightMyRequestResponse>

export interface WorldSize {
  tenants: number
  debtorsPerTenant: number
  invoicesPerDebtor: number
}

export interface World {
  tenantIds: string[]
  debtors: number
  invoices: number
  /** The instants the worker evaluates and dispatches as of: one per day, 09:00 UTC. */
  instants: Date[]
}

/** Monday 2 March 2026: the latest due date; the ladder runs to about day 55 after it. */
const LAST_DUE = Date.UTC(2026, 2, 2)
const DAY = 86_400_000
const DAYS_PLAYED = 66
const CONSUMER_EVERY = 4
const DUE_DAYS = 5

const date = (ms: number) => new Date(ms).toISOString().slice(0, 10)

async function call(inject: Inject, key: string, method: 'POST', url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await inject({ method, url, headers: { authorization: `Bearer ${key}`, ...headers }, payload: payload as string })
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 500)}`)
  return res.json<Record<string, unknown>>()
}

const ndjson = (lines: unknown[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`

async function bulk(inject: Inject, key: string, kind: 'debtors' | 'invoices', lines: unknown[]) {
  const result = await call(inject, key, 'POST', `/v1/${kind}/bulk`, ndjson(lines), { 'content-type': 'application/x-ndjson' })
  if (result.created !== lines.length) throw new Error(`${kind} bulk: ${JSON.stringify(result).slice(0, 500)}`)
}

async function connect(inject: Inject, key: string, name: string, providers: ProviderAddresses) {
  const sender = { name, email: `compta@${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.test`, postal_address: { lines: ['1 place de la Bourse'], postcode: '69002', city: 'Lyon', country: 'FR' } }
  const connections = [
    { name: 'SMTP', driver: 'email-smtp', channels: ['email'], credentials: { user: 'chaos', pass: 'chaos-pass' }, settings: { host: '127.0.0.1', port: providers.smtpPort, secure: false } },
    { name: 'AR24', driver: 'ar24', channels: ['registered_email'], credentials: providers.ar24.credentials, settings: { base_url: providers.ar24.apiUrl } },
    { name: 'Print-mail', driver: 'print-mail', channels: ['registered_letter', 'letter'], credentials: providers.printMail.credentials, settings: { api_url: providers.printMail.apiUrl, auth_url: providers.printMail.authUrl } },
  ]
  for (const c of connections) await call(inject, key, 'POST', '/v1/channel-connections', { ...c, mode: 'live', sender })
}

export async function seedWorld(inject: Inject, platformKey: string, size: WorldSize, providers: ProviderAddresses): Promise<World> {
  const tenantIds: string[] = []
  for (let t = 0; t < size.tenants; t++) {
    const name = `Creancier ${t}`
    const tenant = await call(inject, platformKey, 'POST', '/v1/tenants', { name, mode: 'live' })
    const tenantId = String(tenant.id)
    const key = String((await call(inject, platformKey, 'POST', '/v1/api-keys', { name: 'chaos' }, { 'relance-tenant': tenantId })).secret)
    await connect(inject, key, name, providers)
    const debtors = Array.from({ length: size.debtorsPerTenant }, (_, d) => ({
      kind: d % CONSUMER_EVERY === 0 ? 'consumer' : 'business',
      name: d % CONSUMER_EVERY === 0 ? `Client Particulier ${d}` : `Client Societe ${d}`,
      country: 'FR',
      language: 'fr',
      external_ref: `D-${d}`,
      contacts: [{ name: 'Comptabilite', email: `compta${d}@client${t}.test` }],
      address: { lines: [`${d + 1} rue des Lilas`], postcode: '75011', city: 'Paris', country: 'FR' },
    }))
    const invoices = debtors.flatMap((debtor, d) =>
      Array.from({ length: size.invoicesPerDebtor }, (_, i) => ({
        debtor_external_ref: debtor.external_ref,
        number: `F-${t}-${d}-${i}`,
        currency: 'EUR',
        amount_total: 50_000 + 100 * i,
        issue_date: date(LAST_DUE - (30 + (d % DUE_DAYS)) * DAY),
        due_date: date(LAST_DUE - (d % DUE_DAYS) * DAY),
        external_ref: `I-${d}-${i}`,
      })),
    )
    await bulk(inject, key, 'debtors', debtors)
    await bulk(inject, key, 'invoices', invoices)
    tenantIds.push(tenantId)
  }
  const instants = Array.from({ length: DAYS_PLAYED }, (_, k) => new Date(LAST_DUE + (k + 1) * DAY + 9 * 3_600_000))
  const debtors = size.tenants * size.debtorsPerTenant
  return { tenantIds, debtors, invoices: debtors * size.invoicesPerDebtor, instants }
}
