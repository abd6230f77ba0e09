/**
 * Maileva notification-center callbacks: no payload signature, so authenticity is the Basic
 * credentials Relance gave Maileva when subscribing. Compared in constant time; missing config fails closed.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { DriverError, type ConnectionContext, type IncomingCallback } from '../../channel-driver.js'

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()

export function assertCallbackAuthenticated(conn: ConnectionContext, callback: IncomingCallback): void {
  const login = conn.credentials.callback_login
  const password = conn.credentials.callback_password
  if (!login || !password) throw new DriverError('unauthorized', 'print-mail connection has no callback credentials')
  const header = callback.headers.authorization
  const given = typeof header === 'string' && header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : ''
  // Hashing first makes both sides the same length, so the comparison leaks nothing about either.
  if (!timingSafeEqual(digest(given), digest(`${login}:${password}`))) {
    throw new DriverError('unauthorized', 'print-mail callback credentials do not match')
  }
}

export interface MailevaNotification {
  eventType: string
  /** e.g. `registered_mail/v2` */
  resource: string
  sendingId: string
  customId?: string
}

const RESOURCE = /^(registered_mail\/v2|mail\/v2)\/(sendings|recipients)$/
const SENDING_IN_LOCATION = /\/sendings\/([\w-]{1,64})\/recipients\//

export function parseNotification(callback: IncomingCallback): MailevaNotification {
  let body: Record<string, unknown>
  try {
    body = JSON.parse(callback.body.toString('utf8')) as Record<string, unknown>
  } catch {
    throw new DriverError('rejected', 'print-mail callback body is not JSON', 'invalid_callback')
  }
  const str = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined)
  const match = RESOURCE.exec(str('resource_type') ?? '')
  if (!match) throw new DriverError('rejected', `print-mail callback for an unknown resource ${str('resource_type')}`, 'invalid_callback')
  // Recipient events name the recipient; the sending id is only in resource_location, read but never fetched.
  const sendingId = match[2] === 'sendings' ? str('resource_id') : SENDING_IN_LOCATION.exec(str('resource_location') ?? '')?.[1]
  if (!sendingId || !/^[\w-]{1,64}$/.test(sendingId)) throw new DriverError('rejected', 'print-mail callback names no sending', 'invalid_callback')
  return { eventType: str('event_type') ?? '', resource: match[1]!, sendingId, customId: str('resource_custom_id') }
}
