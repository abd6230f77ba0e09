import fc from 'fast-check'
import type { JsonSchema } from '../fuzz/schema-arbitrary.js'
import type { SeededIds } from './seed-world.js'

type Kind = keyof SeededIds | 'tenant'

/** Which object `{id}` names, by the collection it follows. A new collection must be added here. */
export const KIND_OF_COLLECTION: Record<string, Kind> = {
  tenants: 'tenant',
  'api-keys': 'apiKey',
  debtors: 'debtor',
  holds: 'hold',
  'payment-plans': 'plan',
  'test-clocks': 'clock',
  scenarios: 'scenario',
  invoices: 'invoice',
  payments: 'payment',
  'credit-notes': 'creditNote',
  imports: 'import',
  'scenario-rules': 'rule',
  templates: 'template',
  'channel-connections': 'connection',
  dispatches: 'dispatch',
  tasks: 'task',
  'webhook-endpoints': 'endpoint',
  events: 'event',
}

/** Routes with no tenant data behind them. */
export const PUBLIC_ROUTES = new Set(['GET /healthz', 'GET /readyz', 'GET /.well-known/jwks.json'])

/** Platform operations a tenant key is refused outright (403). */
export const PLATFORM_ROUTES = new Set(['POST /v1/tenants', 'POST /v1/signing-keys/rotate'])

/** Creations whose body names no object of the tenant: nothing to borrow from another tenant. */
export const CREATES_WITHOUT_REFERENCES = new Set([
  'POST /v1/api-keys', 'POST /v1/test-clocks', 'POST /v1/scenarios', 'POST /v1/scenarios/defaults',
  'POST /v1/templates', 'POST /v1/templates/preview', 'POST /v1/channel-connections', 'POST /v1/webhook-endpoints',
  // Global law data, platform keys only (its own test checks the 403): it names no tenant object.
  'POST /v1/law/rates',
])

export interface ReferenceCase {
  route: string
  /** B's own ids fill the path; A's ids go in the body. */
  url: (a: SeededIds, b: SeededIds) => string
  body: (a: SeededIds, b: SeededIds) => unknown
  contentType?: string
}

/** B naming A's objects inside bodies: each must be refused (or, in bulk, each line rejected). */
export const REFERENCE_CASES: ReferenceCase[] = [
  { route: 'POST /v1/invoices', url: () => '/v1/invoices', body: (a) => ({ debtor_id: a.debtor, number: 'X-1', currency: 'EUR', amount_total: 100, issue_date: '2026-03-01', due_date: '2026-03-31' }) },
  { route: 'POST /v1/holds', url: () => '/v1/holds', body: (a) => ({ kind: 'dispute', debtor_id: a.debtor, invoice_id: a.invoice, reason_code: 'other' }) },
  { route: 'POST /v1/holds', url: () => '/v1/holds', body: (a, b) => ({ kind: 'dispute', debtor_id: b.debtor, invoice_id: a.invoice, reason_code: 'other' }) },
  { route: 'POST /v1/payment-plans', url: () => '/v1/payment-plans', body: (a, b) => ({ debtor_id: b.debtor, invoice_ids: [a.invoice], instalments: [{ due_date: '2027-01-01', amount: 100 }] }) },
  { route: 'POST /v1/payments', url: () => '/v1/payments', body: (a) => ({ debtor_id: a.debtor, amount: 100, currency: 'EUR', received_on: '2026-03-01' }) },
  { route: 'POST /v1/payments', url: () => '/v1/payments', body: (a, b) => ({ debtor_id: b.debtor, amount: 100, currency: 'EUR', received_on: '2026-03-01', allocations: [{ invoice_id: a.invoice, amount: 100 }] }) },
  { route: 'POST /v1/payments', url: () => '/v1/payments', body: (a) => ({ debtor_external_ref: a.debtorRef, amount: 100, currency: 'EUR', received_on: '2026-03-01' }) },
  { route: 'POST /v1/credit-notes', url: () => '/v1/credit-notes', body: (a) => ({ debtor_id: a.debtor, number: 'AV-X', amount: 100, currency: 'EUR', issue_date: '2026-03-01' }) },
  { route: 'POST /v1/credit-notes', url: () => '/v1/credit-notes', body: (a, b) => ({ debtor_id: b.debtor, number: 'AV-Y', amount: 100, currency: 'EUR', issue_date: '2026-03-01', allocations: [{ invoice_id: a.invoice, amount: 100 }] }) },
  { route: 'POST /v1/scenario-rules', url: () => '/v1/scenario-rules', body: (a) => ({ priority: 1, scenario_id: a.scenario }) },
  { route: 'POST /v1/payments/{id}/allocate', url: (_a, b) => `/v1/payments/${b.payment}/allocate`, body: (a) => ({ allocations: [{ invoice_id: a.invoice, amount: 100 }] }) },
  { route: 'POST /v1/events/{id}/resend', url: (_a, b) => `/v1/events/${b.event}/resend`, body: (a) => ({ endpoint_id: a.endpoint }) },
  { route: 'PATCH /v1/debtors/{id}', url: (_a, b) => `/v1/debtors/${b.debtor}`, body: (a) => ({ scenario_id: a.scenario }) },
  { route: 'POST /v1/debtors', url: () => '/v1/debtors', body: (a) => ({ kind: 'business', name: 'Borrower', country: 'FR', scenario_id: a.scenario }) },
  { route: 'POST /v1/invoices', url: () => '/v1/invoices', body: (a, b) => ({ debtor_id: b.debtor, number: 'X-2', currency: 'EUR', amount_total: 100, issue_date: '2026-03-01', due_date: '2026-03-31', scenario_id: a.scenario }) },
  { route: 'PATCH /v1/invoices/{id}', url: (_a, b) => `/v1/invoices/${b.invoice}`, body: (a) => ({ scenario_id: a.scenario }) },
  { route: 'PATCH /v1/scenario-rules/{id}', url: (_a, b) => `/v1/scenario-rules/${b.rule}`, body: (a) => ({ scenario_id: a.scenario }) },
  { route: 'POST /v1/debtors/bulk', url: () => '/v1/debtors/bulk', body: (a) => [{ external_ref: 'bulk-d', kind: 'business', name: 'Borrower', country: 'FR', scenario_id: a.scenario }] },
  { route: 'POST /v1/invoices/bulk', url: () => '/v1/invoices/bulk', body: (a, b) => [{ external_ref: 'bulk-s', debtor_id: b.debtor, number: 'B-3', currency: 'EUR', amount_total: 100, issue_date: '2026-03-01', due_date: '2026-03-31', scenario_id: a.scenario }] },
  { route: 'GET /v1/webhook-endpoints/{id}/deliveries', url: (a, b) => `/v1/webhook-endpoints/${b.endpoint}/deliveries?event_id=${a.event}`, body: () => undefined },
  { route: 'POST /v1/invoices/bulk', url: () => '/v1/invoices/bulk', contentType: 'application/x-ndjson', body: (a) => `${JSON.stringify({ external_ref: 'bulk-x', debtor_external_ref: a.debtorRef, number: 'B-1', currency: 'EUR', amount_total: 100, issue_date: '2026-03-01', due_date: '2026-03-31' })}\n` },
  { route: 'POST /v1/invoices/bulk', url: () => '/v1/invoices/bulk', body: (a) => [{ external_ref: 'bulk-y', debtor_id: a.debtor, number: 'B-2', currency: 'EUR', amount_total: 100, issue_date: '2026-03-01', due_date: '2026-03-31' }] },
  { route: 'POST /v1/payments/bulk', url: () => '/v1/payments/bulk', body: (a) => [{ external_ref: 'bulk-p', debtor_external_ref: a.debtorRef, amount: 100, currency: 'EUR', received_on: '2026-03-01' }] },
]

/** Route → which seeded object fills each path parameter. */
export function pathIdsOf(route: string): { name: string; kind: Kind | 'version' }[] | string {
  const path = route.split(' ')[1]!
  const segments = path.split('/')
  const out: { name: string; kind: Kind | 'version' }[] = []
  for (const [i, segment] of segments.entries()) {
    const param = /^\{(\w+)\}$/.exec(segment)?.[1]
    if (!param) continue
    if (param === 'version') out.push({ name: param, kind: 'version' })
    else if (param === 'proof_id') out.push({ name: param, kind: 'proof' })
    else {
      const kind = KIND_OF_COLLECTION[segments[i - 1]!]
      if (!kind) return `${route}: the isolation matrix does not know which object {${param}} names; add "${segments[i - 1]}" to KIND_OF_COLLECTION`
      out.push({ name: param, kind })
    }
  }
  return out
}

/** The smallest body the schema accepts, so a request gets past validation to the lookup. */
export function minimalBody(s: JsonSchema, resolve: (ref: string) => JsonSchema, name = ''): unknown {
  if (s.$ref) return minimalBody(resolve(s.$ref), resolve, name)
  const options = s.anyOf ?? s.oneOf
  if (options) return minimalBody(options.find((o) => o.type !== 'null') ?? options[0]!, resolve, name)
  if (s.enum) return s.enum[0]
  if ('const' in s) return s.const
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type ?? (s.properties ? 'object' : undefined)
  switch (type) {
    case 'object':
      return Object.fromEntries((s.required ?? []).map((key) => [key, minimalBody(s.properties?.[key] ?? {}, resolve, key)]))
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => minimalBody(s.items ?? {}, resolve, name))
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, 1)
    case 'boolean':
      return true
    case 'string':
      if (s.format === 'date-time') return '2026-06-01T10:00:00Z'
      if (s.pattern) return fc.sample(fc.stringMatching(new RegExp(s.pattern)), { seed: 1, numRuns: 1 })[0]
      if (/(_date|_on)$/.test(name) || /YYYY-MM-DD/.test(s.description ?? '')) return '2026-06-01'
      return 'x'.repeat(Math.max(s.minLength ?? 1, 1))
    default:
      return null
  }
}
