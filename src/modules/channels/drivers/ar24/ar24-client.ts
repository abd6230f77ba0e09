/**
 * One authenticated AR24 API call: token + Paris `date` + `signature` header, form-data body,
 * status read from the body (HTTP is always 200), response decrypted when it is not plain JSON.
 */
// undici's FormData, not the global one: on Node 20 the global belongs to Node's bundled undici 6,
// whose internals undici 7's `request` cannot serialise ("action is not a function").
import { FormData, request } from 'undici'
import { DriverError, type ConnectionContext } from '../../channel-driver.js'
import { decryptResponse, parisDateTime, signDate } from './ar24-signing.js'

export const AR24_SANDBOX_URL = 'https://sandbox.ar24.fr/api/'
const DEFAULT_TIMEOUT_MS = 60_000 // AR24 documents 60 s

/** Slugs that mean "try again later" rather than "this request is wrong". */
const TRANSIENT_SLUGS = new Set(['unknown_error', 'maintenance'])

export interface Ar24Credentials {
  token: string
  privateKey: string
  userId?: string
  userEmail?: string
}

export interface Ar24File {
  field: string
  filename: string
  contentType: string
  content: Buffer
}

export function ar24Credentials(conn: ConnectionContext): Ar24Credentials {
  const { token, private_key: privateKey, user_id: userId, user_email: userEmail } = conn.credentials
  if (!token || !privateKey) throw new DriverError('rejected', 'AR24 connection lacks token or private_key', 'missing_credentials')
  if (!userId && !userEmail) throw new DriverError('rejected', 'AR24 connection lacks user_id or user_email', 'missing_credentials')
  return { token, privateKey, userId, userEmail }
}

export function ar24BaseUrl(conn: ConnectionContext): string {
  const configured = conn.settings.base_url
  if (typeof configured === 'string' && configured) return configured.endsWith('/') ? configured : `${configured}/`
  // The production URL is not public (providers.md [SILENT]): live connections must name it.
  if (conn.mode === 'live') throw new DriverError('rejected', 'AR24 live connection needs settings.base_url', 'missing_base_url')
  return AR24_SANDBOX_URL
}

function timeoutMs(conn: ConnectionContext): number {
  const value = conn.settings.timeout_ms
  return typeof value === 'number' && value > 0 ? value : DEFAULT_TIMEOUT_MS
}

type Params = Record<string, string | string[] | undefined>

/** Calls AR24 and returns `result` of a SUCCESS body; throws DriverError otherwise. */
export async function ar24Call(
  conn: ConnectionContext,
  method: 'GET' | 'POST',
  path: string,
  params: Params,
  files: Ar24File[] = [],
): Promise<unknown> {
  const creds = ar24Credentials(conn)
  const date = parisDateTime(new Date())
  const url = new URL(path.replace(/^\//, ''), ar24BaseUrl(conn))
  const all: Params = { ...params, token: creds.token, date }
  let body: FormData | undefined
  if (method === 'GET') {
    for (const [key, value] of Object.entries(all)) {
      for (const item of [value].flat()) if (item !== undefined) url.searchParams.append(key, item)
    }
  } else {
    body = new FormData()
    for (const [key, value] of Object.entries(all)) {
      for (const item of [value].flat()) if (item !== undefined) body.append(key, item)
    }
    for (const file of files) body.append(file.field, new Blob([file.content], { type: file.contentType }), file.filename)
  }
  let status: number
  let text: string
  try {
    const response = await request(url, {
      method,
      body,
      headers: { signature: signDate(date, creds.privateKey), 'accept-language': 'fr' },
      headersTimeout: timeoutMs(conn),
      bodyTimeout: timeoutMs(conn),
    })
    status = response.statusCode
    text = await response.body.text()
  } catch (error) {
    throw new DriverError('transient', `AR24 unreachable: ${(error as Error).message}`)
  }
  if (status >= 500 || status === 429) throw new DriverError('transient', `AR24 answered HTTP ${status}`, undefined, status)
  if (status >= 400) throw new DriverError('rejected', `AR24 answered HTTP ${status}`, `http_${status}`, status)
  return readBody(text, date, creds.privateKey)
}

interface Ar24Body {
  status?: string
  slug?: string
  message?: string
  result?: unknown
}

function parseBody(text: string, date: string, privateKey: string): Ar24Body {
  // Errors may come back in clear; successes are encrypted. Try JSON first, as AR24's own client does.
  try {
    return JSON.parse(text) as Ar24Body
  } catch {
    try {
      return JSON.parse(decryptResponse(text, date, privateKey)) as Ar24Body
    } catch {
      throw new DriverError('transient', 'AR24 answered a body that is neither JSON nor decryptable', 'unreadable_response')
    }
  }
}

function readBody(text: string, date: string, privateKey: string): unknown {
  const body = parseBody(text, date, privateKey)
  const status = (body.status ?? '').toLowerCase()
  if (status === 'success') return body.result
  if (status === 'maintenance') throw new DriverError('transient', 'AR24 is in maintenance', 'maintenance')
  const slug = body.slug ?? 'unknown_error'
  const kind = TRANSIENT_SLUGS.has(slug) ? 'transient' : 'rejected'
  throw new DriverError(kind, `AR24 error ${slug}${body.message ? `: ${body.message}` : ''}`, slug)
}
