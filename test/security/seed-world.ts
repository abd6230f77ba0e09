import type { InjectOptions } from 'fastify'
import { bearer, createTenant, systemQuery, type TestApp } from '../helper.js'

/** Env for a test app whose webhook endpoints may point at loopback and that never rate-limits a fuzzer. */
export const HARDENING_ENV = { RELANCE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32', RELANCE_RATE_LIMIT_PER_MINUTE: '10000000' }

/** One object of every kind a tenant can own, by the name the OpenAPI path uses for it. */
export interface SeededIds {
  debtor: string
  debtor2: string
  invoice: string
  invoice2: string
  payment: string
  creditNote: string
  hold: string
  plan: string
  scenario: string
  rule: string
  template: string
  connection: string
  endpoint: string
  clock: string
  import: string
  event: string
  dispatch: string
  proof: string | null
  task: string
  apiKey: string
  debtorRef: string
}

export interface World {
  tenantId: string
  key: string
  ids: SeededIds
}

type Send = (method: InjectOptions['method'], url: string, payload?: unknown, headers?: Record<string, string>) => Promise<{ id: string } & Record<string, unknown>>

function sender(ctx: TestApp, key: string): Send {
  return async (method, url, payload, headers = {}) => {
    const res = await ctx.inject({ method, url, headers: { ...bearer(key), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) })
    if (res.statusCode >= 300) throw new Error(`seeding ${method} ${url} answered ${res.statusCode}: ${res.body}`)
    return res.json()
  }
}

const CLOCK_START = '2026-03-02T09:30:00Z' // a Monday
const address = { lines: ['12 rue des Lilas'], postcode: '75011', city: 'Paris', country: 'FR' }

/**
 * A sandbox tenant with one object of each kind, made through the API as a customer would; a test
 * clock run plays the default ladder far enough to leave dispatches (captured emails) and a call task.
 */
export async function seedWorld(ctx: TestApp, name: string): Promise<World> {
  const { tenantId, key } = await createTenant(ctx, { name, mode: 'sandbox' })
  const send = sender(ctx, key)
  const suffix = tenantId.slice(-6)
  const clock = await send('POST', '/v1/test-clocks', { frozen_time: CLOCK_START })
  const debtorRef = `cust-${suffix}`
  const debtor = await send('POST', '/v1/debtors', {
    kind: 'business', name: `${name} client`, country: 'FR', language: 'fr', external_ref: debtorRef,
    contacts: [{ name: 'Marie Dupont', email: `marie-${suffix}@dupont.test`, phone: '+33612345678' }], address,
  })
  const debtor2 = await send('POST', '/v1/debtors', { kind: 'consumer', name: `${name} other`, country: 'FR', language: 'fr', address })
  const invoiceBody = (debtorId: string, number: string, due: string) =>
    ({ debtor_id: debtorId, number, currency: 'EUR', amount_total: 120_000, issue_date: '2026-02-01', due_date: due })
  const invoice = await send('POST', '/v1/invoices', invoiceBody(debtor.id, `F-${suffix}-1`, '2026-03-05'))
  const invoice2 = await send('POST', '/v1/invoices', invoiceBody(debtor2.id, `F-${suffix}-2`, '2026-03-05'))
  const pdf = await ctx.inject({ method: 'PUT', url: `/v1/invoices/${invoice.id}/document?filename=F.pdf`, headers: { ...bearer(key), 'content-type': 'application/pdf' }, payload: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n') })
  if (pdf.statusCode >= 300) throw new Error(`seeding the invoice document answered ${pdf.statusCode}: ${pdf.body}`)
  const payment = await send('POST', '/v1/payments', { debtor_id: debtor.id, amount: 1_000, currency: 'EUR', received_on: '2026-03-01', allocations: [{ invoice_id: invoice.id, amount: 1_000 }] })
  const creditNote = await send('POST', '/v1/credit-notes', { debtor_id: debtor.id, number: `AV-${suffix}`, amount: 500, currency: 'EUR', issue_date: '2026-03-01', allocations: [{ invoice_id: invoice.id, amount: 500 }] })
  const plan = await send('POST', '/v1/payment-plans', {
    debtor_id: debtor2.id, invoice_ids: [invoice2.id],
    instalments: [{ due_date: '2027-01-15', amount: 60_000 }, { due_date: '2027-02-15', amount: 60_000 }],
  })
  const hold = await send('POST', '/v1/holds', { kind: 'manual', debtor_id: debtor2.id, note: 'negotiating' })
  const scenario = await send('POST', '/v1/scenarios', {
    name: 'Gentle', language: 'fr',
    definition: { steps: [{ key: 'first', offset_days: 3, channels: [{ channel: 'email', template: 'reminder' }] }] },
  })
  const rule = await send('POST', '/v1/scenario-rules', { priority: 10, scenario_id: scenario.id, conditions: { min_amount: 99_999_999, currency: 'EUR' } })
  const template = await send('POST', '/v1/templates', { key: 'reminder', channel: 'email', language: 'fr', fields: { subject: 'Rappel {{ invoice.number }}', html: '<p>Bonjour</p>', text: 'Bonjour' } })
  const connection = await send('POST', '/v1/channel-connections', {
    name: 'SMTP relay', driver: 'email-smtp', channels: ['email'], enabled: false,
    credentials: { user: 'relance', pass: `smtp-pass-${suffix}` }, settings: { host: '127.0.0.1', port: 2525, secure: false },
    sender: { name, email: `compta-${suffix}@example.test` },
  })
  const endpoint = await send('POST', '/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hooks', enabled_events: ['*'] })
  const imported = await send('POST', '/v1/debtors/bulk', [{ external_ref: `bulk-${suffix}`, kind: 'business', name: 'Bulk SARL', country: 'FR' }], { prefer: 'respond-async' })
  const apiKey = await send('POST', '/v1/api-keys', { name: 'spare' })
  // The import job runs on after its 202: wait for it, so later checks see a quiet database.
  for (let i = 0; i < 400 && !['succeeded', 'failed'].includes(String((await send('GET', `/v1/imports/${imported.id}`)).status)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  // Play the default ladder: the −5 notice and the +1, +10 reminders are emails, +15 a call task.
  let now = new Date(CLOCK_START).getTime()
  for (let day = 0; day < 24; day += 3) {
    now += 3 * 86_400_000
    await send('POST', `/v1/test-clocks/${clock.id}/advance`, { frozen_time: new Date(now).toISOString() })
  }
  const first = async (sql: string) => (await systemQuery<{ id: string }>(ctx.database, sql, [tenantId]))[0]?.id ?? null
  const dispatch = await first('select dispatch_id as id from dispatches where tenant_id = $1 order by dispatch_id limit 1')
  const task = await first('select task_id as id from tasks where tenant_id = $1 limit 1')
  const event = await first('select event_id as id from events where tenant_id = $1 order by event_id limit 1')
  const proof = await first('select proof_id as id from dispatch_proofs where tenant_id = $1 limit 1').catch(() => null)
  if (!dispatch || !task || !event) throw new Error(`seeding left no dispatch (${dispatch}), task (${task}) or event (${event})`)
  return {
    tenantId,
    key,
    ids: {
      debtor: debtor.id, debtor2: debtor2.id, invoice: invoice.id, invoice2: invoice2.id, payment: payment.id,
      creditNote: creditNote.id, hold: hold.id, plan: plan.id, scenario: scenario.id, rule: rule.id,
      template: template.id, connection: connection.id, endpoint: endpoint.id, clock: clock.id,
      import: imported.id, event, dispatch, proof, task, apiKey: apiKey.id, debtorRef,
    },
  }
}
