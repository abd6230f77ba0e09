/**
 * An AR24 look-alike on loopback: same paths, form-data in, HTTP 200 always, status in the body,
 * `signature`/`date` checked, successes AES-encrypted, unsigned webhooks retried every 15 provider
 * minutes up to 48 tries. Outcomes are scripted by the recipient e-mail (see scripted-outcome.ts).
 */
import { encryptResponse, parisDateTime, verifySignature } from '../modules/channels/drivers/ar24/ar24-signing.js'
import { Ar24SimState, PROOF_CODES, type Ar24Step, type SimUser } from './ar24-sim-state.js'
import { CallbackSender, type CallbackStats } from './callback-sender.js'
import { FaultInjector, setFaultsFrom, type FaultPlanInput, type FaultRule, type FaultStats } from './faults.js'
import { closeServer, json, listen, readForm, type SimRequest, type SimResponse } from './http-kit.js'
import { proofPdf } from './proof-pdf.js'
import { scriptedFault } from './scripted-outcome.js'
import { DEFAULT_TIME_SCALE, MINUTE, SimClock } from './sim-clock.js'

export interface Ar24SimulatorOptions {
  port?: number
  latencyMs?: number
  callbackUrl?: string
  token?: string
  privateKey?: string
  users?: SimUser[]
  /** Simulated seconds per real second; 0 freezes the clock (only /_sandbox/advance moves it). */
  timeScale?: number
  startAt?: Date
  /** Real milliseconds per provider minute between callback retries. */
  retryMsPerMinute?: number
  /** Faults to inject from the start (faults.ts); `POST /_sandbox/faults` changes them. */
  faults?: FaultPlanInput
}

export interface Ar24SimulatorStats {
  sendsByRef: Record<string, number>
  callbacks: CallbackStats
  faults: FaultStats
}

/**
 * AR24 itself answers HTTP 200 with the status in the body, `{"status":"maintenance"}` included;
 * a 5xx can only come from the web server in front of it, as that server's HTML page.
 */
function faultAnswer(rule: FaultRule): SimResponse {
  if (rule.kind === 'maintenance') return json(200, { status: 'maintenance' })
  const status = rule.status ?? 503
  const title = `${status} ${status === 502 ? 'Bad Gateway' : status === 504 ? 'Gateway Time-out' : status === 503 ? 'Service Temporarily Unavailable' : 'Internal Server Error'}`
  return { status, contentType: 'text/html', body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n` }
}

export const AR24_SANDBOX_DEFAULTS = {
  token: 'sandbox-ar24-token',
  privateKey: 'sandbox-ar24-private-key',
  user: { id: '1001', email: 'sender@relance.test', firstname: 'Relance', lastname: 'Sandbox', company: 'Relance Sandbox' } as SimUser,
}

const DATE_WINDOW_MS = 10 * MINUTE
const PROOF_TITLES: Record<string, string> = { ev: 'Preuve de dépôt et d’envoi', ar: 'Accusé de réception', rf: 'Preuve de refus', ng: 'Preuve de négligence', bc: 'Preuve de rejet (bounce)' }

export async function startAr24Simulator(options: Ar24SimulatorOptions = {}) {
  const token = options.token ?? AR24_SANDBOX_DEFAULTS.token
  const privateKey = options.privateKey ?? AR24_SANDBOX_DEFAULTS.privateKey
  const users = options.users ?? [AR24_SANDBOX_DEFAULTS.user]
  const clock = new SimClock(options.timeScale ?? DEFAULT_TIME_SCALE, options.startAt)
  const state = new Ar24SimState()
  const faults = new FaultInjector(options.faults)
  const callbacks = new CallbackSender(200, Array<number>(47).fill(15), options.retryMsPerMinute, faults)
  const proofCache = new Map<string, Promise<Buffer>>()
  let callbackUrl = options.callbackUrl
  let baseUrl = ''

  const userById = (id: string | undefined) => users.find((u) => u.id === id)
  const error = (slug: string, message = slug): SimResponse => json(200, { status: 'ERROR', slug, message })

  function advanceTo(now: Date): void {
    for (const mail of state.tick(now)) {
      if (callbackUrl) callbacks.send({ url: callbackUrl, contentType: 'application/json', body: JSON.stringify({ type: 'mail', id_mail: Number(mail.id) }) })
    }
  }

  function authenticate(req: SimRequest, params: URLSearchParams | FormData): SimResponse | string {
    const given = params.get('token')
    const date = params.get('date')
    if (!given) return error('token_missing')
    if (given !== token) return error('token_invalid')
    if (typeof date !== 'string' || !date) return error('empty_date')
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(date)) return error('invalid_date')
    // The format sorts lexically, so the window check is a string comparison (wall clock, not sim clock).
    if (date < parisDateTime(new Date(Date.now() - DATE_WINDOW_MS))) return error('expired_date')
    if (date > parisDateTime(new Date(Date.now() + DATE_WINDOW_MS))) return error('date_in_future')
    const signature = req.headers.signature
    if (typeof signature !== 'string' || !verifySignature(signature, date, privateKey)) return error('signature_invalid') // slug [SILENT]
    return date
  }

  async function api(req: SimRequest, path: string): Promise<SimResponse> {
    const params = req.method === 'GET' ? req.url.searchParams : await readForm(req)
    const date = authenticate(req, params)
    if (typeof date !== 'string') return date
    const field = (name: string) => {
      const value = params.get(name)
      return typeof value === 'string' && value !== '' ? value : undefined
    }
    const ok = (result: unknown): SimResponse => ({ status: 200, contentType: 'text/plain', body: encryptResponse(JSON.stringify({ status: 'SUCCESS', result }), date, privateKey) })
    const route = `${req.method} ${path}`
    if (route === 'GET user') {
      const user = users.find((u) => u.id === field('id_user') || u.email === field('email'))
      return user ? ok({ ...user, id: Number(user.id) }) : error('user_not_exist')
    }
    if (route === 'POST attachment') {
      const file = params instanceof FormData ? params.get('file') : null
      if (!(file instanceof Blob)) return error('attachment_missing_file')
      if (!field('file_name')) return error('attachment_empty_name')
      if (!userById(field('id_user'))) return error('user_not_exist')
      const id = state.newId()
      state.attachments.set(id, { userId: field('id_user')!, name: field('file_name')!, size: file.size })
      return ok({ file_id: Number(id) })
    }
    if (route === 'POST mail') {
      const user = userById(field('id_user'))
      if (!user) return error('user_not_exist')
      const to = field('to_email')
      if (!to) return error('missing_email')
      if (to === user.email) return error('same_sender_recipients_emails')
      const fault = scriptedFault(to)
      if (fault === 'maintenance') return json(200, { status: 'maintenance' })
      if (fault === 'reject') return error('invalid_recipient', 'Invalid recipient')
      const attachmentIds = params.getAll('attachment[]').map(String)
      if (attachmentIds.some((id) => state.attachments.get(id)?.userId !== user.id)) return error('attachment_not_exists')
      if (attachmentIds.length === 0 && !field('content')) return error('error_no_content_no_attachment')
      const fields: Record<string, string> = {}
      for (const [key, value] of params.entries()) if (typeof value === 'string' && key !== 'token' && key !== 'date') fields[key] = value
      const early = faults.callbacks.early
      const mail = state.createMail(user.id, fields, attachmentIds, clock.now(), early)
      // Early callbacks: the mail reaches its final state now, and calls back right after this answer.
      if (early) setTimeout(() => advanceTo(clock.now()), 0)
      return ok(state.render(mail, baseUrl, user))
    }
    if (route === 'GET mail') {
      const mail = state.mails.get(field('id') ?? '')
      return mail ? ok(state.render(mail, baseUrl, userById(mail.userId)!)) : error('mail_not_exist') // slug [SILENT]
    }
    if (route === 'GET user/mail') {
      const user = userById(field('id_user'))
      if (!user) return error('user_not_exist')
      const max = Math.min(Number(field('max') ?? 100), 100)
      const start = Number(field('start') ?? 0)
      const mine = [...state.mails.values()].filter((m) => m.userId === user.id)
      if (field('sort') !== 'asc') mine.reverse()
      return ok({ total: mine.length, mails: mine.slice(start, start + max).map((m) => state.render(m, baseUrl, user)) })
    }
    return error('unknown_route')
  }

  async function proof(req: SimRequest, name: string): Promise<SimResponse> {
    const [code, id] = name.split('-') as [string, string | undefined]
    const mail = state.mails.get(id ?? '')
    const step = Object.entries(PROOF_CODES).find(([, c]) => c === code)?.[0] as Ar24Step | undefined
    if (!mail || !step || !mail.reached[step] || req.url.searchParams.get('token') !== mail.downloadToken) return { status: 404, body: 'Not found' }
    const key = `${code}-${mail.id}`
    if (!proofCache.has(key)) {
      const at = mail.reached[step]!
      proofCache.set(key, proofPdf(`AR24 — ${PROOF_TITLES[code]}`, [`Mail #${mail.id}`, `Recipient: ${mail.fields.to_email}`, `Reference: ${mail.fields.custom_ref ?? ''}`, `Date: ${parisDateTime(at)} (Europe/Paris)`]))
    }
    return { status: 200, contentType: 'application/pdf', body: await proofCache.get(key)! }
  }

  async function admin(req: SimRequest, action: string): Promise<SimResponse> {
    const input = req.body.length ? (JSON.parse(req.body.toString('utf8')) as Record<string, unknown>) : {}
    if (action === 'advance') {
      const now = clock.advance(input as { to?: string; days?: number })
      advanceTo(now)
      return json(200, { now: now.toISOString() })
    }
    if (action === 'callback') {
      callbackUrl = typeof input.url === 'string' && input.url ? input.url : undefined
      return json(200, { callback_url: callbackUrl ?? null })
    }
    if (action === 'stats') return json(200, { now: clock.now().toISOString(), ...stats })
    if (action === 'faults') return setFaultsFrom(faults, input)
    return json(404, { error: 'unknown sandbox action' })
  }

  const stats: Ar24SimulatorStats = { sendsByRef: state.sendsByRef, callbacks: callbacks.stats, faults: faults.stats }
  const { server, url } = await listen(
    async (req) => {
      advanceTo(clock.now())
      const path = req.url.pathname
      if (path.startsWith('/api/')) return api(req, path.slice(5).replace(/\/$/, ''))
      if (path.startsWith('/get/proof/')) return proof(req, path.slice('/get/proof/'.length))
      if (path.startsWith('/_sandbox/')) return admin(req, path.slice('/_sandbox/'.length))
      return { status: 404, body: 'Not found' }
    },
    options.port,
    options.latencyMs,
    { injector: faults, answer: faultAnswer },
  )
  baseUrl = url
  const ticker = (options.timeScale ?? DEFAULT_TIME_SCALE) > 0 ? setInterval(() => advanceTo(clock.now()), 25).unref() : undefined

  return {
    url,
    /** What an AR24 connection points `settings.base_url` at. */
    apiUrl: `${url}/api/`,
    stats,
    clock,
    credentials: { token, private_key: privateKey, user_id: users[0]!.id },
    setCallbackUrl(next: string | undefined) {
      callbackUrl = next
    },
    /** Replaces the injected faults (`{}` clears them), as `POST /_sandbox/faults` does. */
    setFaults: (plan: FaultPlanInput) => faults.set(plan),
    async close() {
      if (ticker) clearInterval(ticker)
      callbacks.close()
      await closeServer(server)
    },
  }
}

export type Ar24Simulator = Awaited<ReturnType<typeof startAr24Simulator>>
