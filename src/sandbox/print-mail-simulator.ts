/**
 * A Maileva look-alike on loopback: OAuth2 password grant, `registered_mail/v2` and `mail/v2`
 * sendings (create → documents → recipient → submit), delivery codes, zipped proof PDFs, and
 * notification-center callbacks with Basic auth, retried unless answered 201 (+10, 10, 20, 30, 50,
 * 80, 130, 210, 340, 550 provider minutes, compressed to `retryMsPerMinute` each).
 */
import { randomBytes } from 'node:crypto'
import { writeZip } from '../modules/channels/drivers/print-mail/zip.js'
import { CallbackSender, type CallbackStats } from './callback-sender.js'
import { FaultInjector, setFaultsFrom, type FaultPlanInput, type FaultRule, type FaultStats } from './faults.js'
import { closeServer, json, listen, readForm, type SimRequest, type SimResponse } from './http-kit.js'
import { renderRecipient, renderSending } from './print-mail-sim-render.js'
import { PrintMailSimState, type Resource, type SimNotification } from './print-mail-sim-state.js'
import { proofPdf } from './proof-pdf.js'
import { scriptedFault } from './scripted-outcome.js'
import { DEFAULT_TIME_SCALE, SimClock } from './sim-clock.js'

export interface PrintMailSimulatorOptions {
  port?: number
  latencyMs?: number
  /** A catch-all subscription, as if Relance had subscribed to every event with `callbackAuth`. */
  callbackUrl?: string
  callbackAuth?: { login: string; password: string }
  clientId?: string
  clientSecret?: string
  username?: string
  password?: string
  tokenTtlSeconds?: number
  timeScale?: number
  startAt?: Date
  retryMsPerMinute?: number
  /** Faults to inject from the start (faults.ts); `POST /_sandbox/faults` changes them. */
  faults?: FaultPlanInput
}

export interface PrintMailSimulatorStats {
  /** Submitted sendings per custom_id: more than 1 means a duplicate letter. */
  sendsByRef: Record<string, number>
  tokensIssued: number
  /** Callback subscriptions registered through notification_center/v2. */
  subscriptions: number
  callbacks: CallbackStats
  faults: FaultStats
}

const ERROR_CODES: Record<number, [string, string]> = {
  429: ['too_many_requests', 'Rate limit exceeded'],
  500: ['internal_server_error', 'An unexpected error occurred'],
  502: ['bad_gateway', 'Upstream service unavailable'],
  503: ['service_unavailable', 'Service temporarily unavailable'],
  504: ['gateway_timeout', 'Upstream service timed out'],
}

/** Maileva answers errors with an HTTP status and a JSON body (`code`, `message`), maintenance as a 503. */
function faultAnswer(rule: FaultRule): SimResponse {
  if (rule.kind === 'maintenance') return json(503, { code: 'service_unavailable', message: 'Maintenance in progress' })
  const status = rule.status ?? 503
  const [code, message] = ERROR_CODES[status] ?? [`http_${status}`, 'Error']
  return { ...json(status, { code, message }), headers: status === 429 || status === 503 ? { 'retry-after': '1' } : undefined }
}

export const PRINT_MAIL_SANDBOX_DEFAULTS = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  username: 'sandbox-user',
  password: 'sandbox-password',
  callbackAuth: { login: 'relance', password: 'sandbox-callback-password' },
}
const TOKEN_PATH = '/auth/realms/services/protocol/openid-connect/token'
const SENDING = /^\/(registered_mail\/v2|mail\/v2)\/sendings(?:\/([\w-]+)(?:\/(.+))?)?$/

export async function startPrintMailSimulator(options: PrintMailSimulatorOptions = {}) {
  const d = PRINT_MAIL_SANDBOX_DEFAULTS
  const creds = { clientId: options.clientId ?? d.clientId, clientSecret: options.clientSecret ?? d.clientSecret, username: options.username ?? d.username, password: options.password ?? d.password }
  const clock = new SimClock(options.timeScale ?? DEFAULT_TIME_SCALE, options.startAt)
  const state = new PrintMailSimState()
  const faults = new FaultInjector(options.faults)
  const sender = new CallbackSender(201, [10, 10, 20, 30, 50, 80, 130, 210, 340, 550], options.retryMsPerMinute, faults)
  const tokens = new Map<string, number>()
  const subscriptions: { id: string; event_type: string; resource_type: string; callback_url: string; authentication?: { basic?: { login: string; password: string } } }[] = []
  if (options.callbackUrl) subscriptions.push({ id: 'default', event_type: '*', resource_type: '*', callback_url: options.callbackUrl, authentication: { basic: options.callbackAuth ?? d.callbackAuth } })
  const stats: PrintMailSimulatorStats = { sendsByRef: state.sendsByRef, tokensIssued: 0, subscriptions: 0, callbacks: sender.stats, faults: faults.stats }
  let apiUrl = ''

  const notify = (n: SimNotification) => {
    for (const sub of subscriptions) {
      if (![n.eventType, '*'].includes(sub.event_type) || ![n.resourceType, '*'].includes(sub.resource_type)) continue
      const basic = sub.authentication?.basic
      sender.send({
        url: sub.callback_url,
        contentType: 'application/json',
        headers: basic ? { authorization: `Basic ${Buffer.from(`${basic.login}:${basic.password}`).toString('base64')}` } : {},
        body: JSON.stringify({
          source: 'api.maileva.com', user_id: creds.username, client_id: creds.clientId, event_type: n.eventType, resource_type: n.resourceType,
          event_date: clock.now().toISOString(), event_location: 'FR', resource_id: n.resourceId, resource_location: `${apiUrl}${n.location}`,
          resource_custom_id: n.sending.fields.custom_id ?? null, resource_custom_data: n.sending.fields.custom_data ?? null,
        }),
      })
    }
  }
  const advance = () => state.tick(clock.now()).forEach(notify)
  const problem = (status: number, code: string, message: string) => json(status, { code, message })
  const zipped = async (name: string, title: string, lines: string[]): Promise<SimResponse> => ({
    status: 200, contentType: 'application/zip', body: writeZip([{ name, content: await proofPdf(title, lines) }]),
  })

  async function token(req: SimRequest): Promise<SimResponse> {
    const form = await readForm(req)
    const basic = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8')
    if (basic !== `${creds.clientId}:${creds.clientSecret}`) return json(401, { error: 'invalid_client' })
    if (form.get('grant_type') !== 'password' || form.get('username') !== creds.username || form.get('password') !== creds.password) return json(400, { error: 'invalid_grant', error_description: 'Invalid user credentials' })
    const accessToken = randomBytes(24).toString('base64url')
    const ttl = options.tokenTtlSeconds ?? 3600
    tokens.set(accessToken, Date.now() + ttl * 1000)
    stats.tokensIssued++
    return json(200, { access_token: accessToken, expires_in: ttl, token_type: 'Bearer' })
  }

  async function sendings(req: SimRequest, resource: Resource, id: string | undefined, rest: string | undefined): Promise<SimResponse> {
    const body = () => JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>
    if (!id) {
      if (req.method === 'POST') {
        const fields = body()
        if (!fields.name) return problem(400, 'missing_name', 'name is required')
        const sending = { id: state.newId(), resource, fields, status: 'DRAFT' as const, dates: { creation: clock.now() }, documents: [] }
        state.sendings.set(sending.id, sending)
        return json(201, renderSending(sending, apiUrl))
      }
      const q = req.url.searchParams
      const all = [...state.sendings.values()].filter((s) => s.resource === resource && (!q.get('custom_id') || s.fields.custom_id === q.get('custom_id')))
      const start = Number(q.get('start_index') ?? 1) - 1
      const page = all.slice(start, start + Number(q.get('count') ?? 50))
      return json(200, { sendings: page.map((s) => renderSending(s, apiUrl)), paging: { total_results: all.length } })
    }
    const sending = state.sendings.get(id)
    if (!sending || sending.resource !== resource) return problem(404, 'not_found', 'No such sending')
    const r = sending.recipient
    const route = `${req.method} ${rest ?? ''}`
    if (route === 'GET ') return json(200, renderSending(sending, apiUrl))
    if (route === 'POST documents') {
      if (sending.status !== 'DRAFT') return problem(400, 'not_draft', 'The sending was submitted')
      const document = (await readForm(req)).get('document')
      if (!(document instanceof Blob)) return problem(400, 'missing_document', 'document part is required')
      const doc = { id: state.newId(), name: (document as File).name ?? 'document.pdf', content: Buffer.from(await document.arrayBuffer()) }
      sending.documents.push(doc)
      return json(201, { id: doc.id, name: doc.name, priority: sending.documents.length })
    }
    if (route === 'POST recipients') {
      const fields = body()
      if (!fields.address_line_6 || !fields.country_code) return problem(400, 'invalid_address', 'address_line_6 and country_code are required')
      const fault = scriptedFault(Object.values(fields).join(' '))
      if (fault === 'maintenance') return problem(503, 'service_unavailable', 'Maintenance in progress')
      if (fault === 'reject') return problem(400, 'invalid_address', 'The address is not deliverable')
      sending.recipient = { id: state.newId(), fields, status: 'DRAFT', processed: false, scanAvailable: false, deliveries: [] }
      return json(201, renderRecipient(sending, sending.recipient, apiUrl))
    }
    if (route === 'POST submit') {
      if (sending.status !== 'DRAFT') return problem(400, 'not_draft', 'Already submitted')
      if (!sending.documents.length || !r) return problem(400, 'incomplete_sending', 'A sending needs a document and a recipient')
      const early = faults.callbacks.early
      state.submit(sending, clock.now(), early)
      // Early callbacks: the letter reaches its final state now, and calls back right after this answer.
      if (early) setTimeout(advance, 0)
      return { status: 200, body: '' }
    }
    if (route === 'GET download_deposit_proof') {
      if (!sending.dates.depositProof) return problem(404, 'not_found', 'No deposit proof yet')
      return zipped(`preuve-de-depot-${id}.pdf`, 'Preuve de dépôt', [`Envoi ${id}`, `Déposé le ${sending.dates.depositProof.toISOString()}`])
    }
    if (route === 'GET recipients') return json(200, { recipients: r ? [renderRecipient(sending, r, apiUrl)] : [], paging: { total_results: r ? 1 : 0 } })
    const sub = /^recipients\/([\w-]+)(?:\/(\w+))?$/.exec(rest ?? '')
    if (!sub || !r || sub[1] !== r.id) return problem(404, 'not_found', 'No such resource')
    if (req.method === 'GET' && !sub[2]) return json(200, renderRecipient(sending, r, apiUrl))
    if (req.method === 'GET' && sub[2] === 'delivery_statuses') return json(200, { delivery_statuses: r.deliveries })
    if (req.method === 'GET' && sub[2] === 'download_archive' && r.processed) return { status: 200, contentType: 'application/pdf', body: sending.documents[0]!.content }
    if (req.method === 'GET' && sub[2] === 'download_acknowledgement_of_receipt' && r.scanAvailable) {
      const last = r.deliveries.at(-1)!
      return zipped(`accuse-de-reception-${r.id}.pdf`, `Numérisation ${last.status} — ${last.label}`, [`Envoi ${id}`, `Destinataire ${String(r.fields.address_line_1 ?? '')}`, `Le ${last.date}`])
    }
    return problem(404, 'not_found', 'No such resource')
  }

  async function route(req: SimRequest): Promise<SimResponse> {
    advance()
    const path = req.url.pathname
    if (req.method === 'POST' && path === TOKEN_PATH) return token(req)
    if (path.startsWith('/_sandbox/')) {
      if (path === '/_sandbox/faults') return setFaultsFrom(faults, JSON.parse(req.body.toString('utf8') || '{}'))
      if (path === '/_sandbox/advance') {
        clock.advance(JSON.parse(req.body.toString('utf8') || '{}') as { to?: string; days?: number })
        advance()
      }
      return json(200, { now: clock.now().toISOString(), ...stats })
    }
    const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '')
    if ((tokens.get(bearer) ?? 0) < Date.now()) return json(401, { code: 'invalid_token', message: 'Missing or expired token' })
    if (path === '/notification_center/v2/subscriptions') {
      if (req.method === 'GET') return json(200, { subscriptions })
      const sub = { id: state.newId(), ...(JSON.parse(req.body.toString('utf8')) as Omit<(typeof subscriptions)[number], 'id'>) }
      subscriptions.push(sub)
      stats.subscriptions++
      return json(201, sub)
    }
    const match = SENDING.exec(path)
    if (!match) return problem(404, 'not_found', 'No such resource')
    return sendings(req, match[1] as Resource, match[2], match[3])
  }

  const { server, url } = await listen(route, options.port, options.latencyMs, { injector: faults, answer: faultAnswer })
  apiUrl = `${url}/`
  const ticker = (options.timeScale ?? DEFAULT_TIME_SCALE) > 0 ? setInterval(advance, 25).unref() : undefined
  return {
    url,
    apiUrl,
    authUrl: `${url}${TOKEN_PATH}`,
    stats,
    clock,
    credentials: {
      client_id: creds.clientId, client_secret: creds.clientSecret, username: creds.username, password: creds.password,
      callback_login: (options.callbackAuth ?? d.callbackAuth).login, callback_password: (options.callbackAuth ?? d.callbackAuth).password,
    },
    /** Revokes every token, as an expiry or a password change would. */
    revokeTokens: () => tokens.clear(),
    /** Replaces the injected faults (`{}` clears them), as `POST /_sandbox/faults` does. */
    setFaults: (plan: FaultPlanInput) => faults.set(plan),
    async close() {
      if (ticker) clearInterval(ticker)
      sender.close()
      await closeServer(server)
    },
  }
}

export type PrintMailSimulator = Awaited<ReturnType<typeof startPrintMailSimulator>>
