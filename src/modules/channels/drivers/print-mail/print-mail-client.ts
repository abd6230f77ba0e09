/**
 * Maileva-style REST calls: OAuth2 password grant (token cached until shortly before expiry),
 * Bearer JSON calls, multipart uploads, downloads. HTTP status decides: 5xx/429 transient, 4xx rejected.
 */
import { createHash } from 'node:crypto'
import { FormData, request } from 'undici'
import { DriverError, type ConnectionContext } from '../../channel-driver.js'

export const MAILEVA_SANDBOX = {
  apiUrl: 'https://api.sandbox.maileva.net/',
  authUrl: 'https://connexion.sandbox.maileva.net/auth/realms/services/protocol/openid-connect/token',
}
const MAILEVA_LIVE = {
  apiUrl: 'https://api.maileva.com/',
  authUrl: 'https://connexion.maileva.com/auth/realms/services/protocol/openid-connect/token',
}
const DEFAULT_TIMEOUT_MS = 60_000
const EXPIRY_MARGIN_MS = 60_000

interface Endpoints {
  apiUrl: string
  authUrl: string
}

export function endpoints(conn: ConnectionContext): Endpoints {
  const defaults = conn.mode === 'live' ? MAILEVA_LIVE : MAILEVA_SANDBOX
  const api = typeof conn.settings.api_url === 'string' ? conn.settings.api_url : defaults.apiUrl
  const auth = typeof conn.settings.auth_url === 'string' ? conn.settings.auth_url : defaults.authUrl
  return { apiUrl: api.endsWith('/') ? api : `${api}/`, authUrl: auth }
}

/** `settings.timeout_ms`, else 60 s: how long a call may take before it counts as a transient failure. */
function timeoutMs(conn: ConnectionContext): number {
  const value = conn.settings.timeout_ms
  return typeof value === 'number' && value > 0 ? value : DEFAULT_TIMEOUT_MS
}

function required(conn: ConnectionContext, key: string): string {
  const value = conn.credentials[key]
  if (!value) throw new DriverError('rejected', `print-mail connection lacks credentials.${key}`, 'missing_credentials')
  return value
}

interface Raw {
  status: number
  body: Buffer
  contentType: string
}

async function send(url: string, options: Parameters<typeof request>[1], timeout: number): Promise<Raw> {
  try {
    const response = await request(url, { ...options, headersTimeout: timeout, bodyTimeout: timeout })
    const body = Buffer.from(await response.body.arrayBuffer())
    return { status: response.statusCode, body, contentType: String(response.headers['content-type'] ?? '') }
  } catch (error) {
    throw new DriverError('transient', `print-mail provider unreachable: ${(error as Error).message}`)
  }
}

function failure(raw: Raw, what: string): DriverError {
  let code = `http_${raw.status}`
  let detail = ''
  try {
    // Error bodies are not specified ([SILENT]): take `code`/`error` and `message`/`error_description`.
    const parsed = JSON.parse(raw.body.toString('utf8')) as Record<string, unknown>
    code = String(parsed.code ?? parsed.error ?? code)
    detail = String(parsed.message ?? parsed.error_description ?? '')
  } catch {
    // not JSON: keep the HTTP status as the code
  }
  const kind = raw.status >= 500 || raw.status === 429 ? 'transient' : 'rejected'
  return new DriverError(kind, `${what}: HTTP ${raw.status} ${code}${detail ? ` (${detail})` : ''}`, code, raw.status)
}

/** Tokens live in the driver instance, keyed by who they belong to; never persisted. */
const tokens = new Map<string, { token: string; expiresAt: number }>()

async function accessToken(conn: ConnectionContext, fresh = false): Promise<string> {
  const { authUrl } = endpoints(conn)
  const clientId = required(conn, 'client_id')
  const username = required(conn, 'username')
  // The secrets are part of the key (hashed) so that changing a password never reuses the old token.
  const key = createHash('sha256').update([authUrl, clientId, conn.credentials.client_secret, username, conn.credentials.password].join('\0')).digest('hex')
  const cached = tokens.get(key)
  if (!fresh && cached && cached.expiresAt > Date.now()) return cached.token
  const basic = Buffer.from(`${clientId}:${required(conn, 'client_secret')}`).toString('base64')
  const form = new URLSearchParams({ grant_type: 'password', username, password: required(conn, 'password') })
  const raw = await send(authUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  }, timeoutMs(conn))
  if (raw.status !== 200) throw failure(raw, 'print-mail token request')
  const { access_token: token, expires_in: expiresIn } = JSON.parse(raw.body.toString('utf8')) as { access_token: string; expires_in: number }
  tokens.set(key, { token, expiresAt: Date.now() + Number(expiresIn) * 1000 - EXPIRY_MARGIN_MS })
  return token
}

type Body = { json: unknown } | { form: FormData } | undefined

/** Calls the API with a Bearer token; one retry with a fresh token if it was revoked early. */
export async function mailevaCall(conn: ConnectionContext, method: 'GET' | 'POST' | 'DELETE', path: string, body?: Body): Promise<Raw> {
  const url = new URL(path, endpoints(conn).apiUrl).toString()
  for (const fresh of [false, true]) {
    const headers: Record<string, string> = { authorization: `Bearer ${await accessToken(conn, fresh)}`, accept: 'application/json' }
    let payload: string | FormData | undefined
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json'
      payload = JSON.stringify(body.json)
    } else if (body) payload = body.form
    const raw = await send(url, { method, headers, body: payload }, timeoutMs(conn))
    if (raw.status === 401 && !fresh) continue
    if (raw.status >= 400) throw failure(raw, `print-mail ${method} ${path}`)
    return raw
  }
  throw new DriverError('rejected', 'print-mail provider refused our token', 'unauthorized', 401)
}

export async function mailevaJson<T>(conn: ConnectionContext, method: 'GET' | 'POST', path: string, body?: Body): Promise<T> {
  const raw = await mailevaCall(conn, method, path, body)
  if (raw.body.length === 0) return {} as T
  try {
    return JSON.parse(raw.body.toString('utf8')) as T
  } catch {
    throw new DriverError('transient', `print-mail ${path} answered a body that is not JSON`, 'unreadable_response')
  }
}
