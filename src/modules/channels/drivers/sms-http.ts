import { request } from 'undici'
import type { ChannelDriver, ConnectionContext, FetchedProof, OutgoingMessage, SendResult } from '../channel-driver.js'
import { DriverError } from '../channel-driver.js'
import { countSmsSegments } from '../sms-segments.js'

/**
 * A generic HTTP SMS gateway: `POST {settings.url}` with JSON `{ to, from, text, reference }`,
 * authenticated by `Authorization: Bearer {credentials.token}` (or basic auth with
 * credentials.username/password). The gateway answers 2xx with `{ id }`. Most SMS APIs fit after
 * a small mapping; one that does not is a plug-in driver.
 */
export class SmsHttpDriver implements ChannelDriver {
  readonly name = 'sms-http'
  readonly channels = ['sms'] as const

  async send(conn: ConnectionContext, message: OutgoingMessage): Promise<SendResult> {
    const url = conn.settings.url
    if (typeof url !== 'string') throw new DriverError('rejected', 'settings.url is required', 'configuration')
    if (!message.recipient.phone) throw new DriverError('rejected', 'The debtor has no phone number', 'no_recipient')
    const text = message.text ?? ''
    const { credentials } = conn
    const auth = credentials.token
      ? `Bearer ${credentials.token}`
      : `Basic ${Buffer.from(`${credentials.username ?? ''}:${credentials.password ?? ''}`).toString('base64')}`
    let response
    try {
      response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify({ to: message.recipient.phone, from: conn.sender.phone ?? conn.sender.name, text, reference: message.dispatchId }),
        headersTimeout: 15_000,
        bodyTimeout: 15_000,
      })
    } catch (error) {
      throw new DriverError('transient', `SMS gateway unreachable: ${(error as Error).message}`)
    }
    const body = (await response.body.json().catch(() => ({}))) as { id?: string; code?: string; error?: string }
    if (response.statusCode >= 500) throw new DriverError('transient', `SMS gateway answered ${response.statusCode}`, body.code, response.statusCode)
    if (response.statusCode >= 400) {
      throw new DriverError('rejected', body.error ?? `SMS gateway refused (${response.statusCode})`, body.code ?? String(response.statusCode), response.statusCode)
    }
    const { segments, encoding } = countSmsSegments(text)
    return { providerRef: String(body.id ?? message.dispatchId), status: 'sent', rawStatus: `accepted ${segments} ${encoding} segment(s)` }
  }

  async lookup(): Promise<SendResult | null> {
    return null
  }

  async parseCallback(): Promise<never> {
    throw new DriverError('rejected', 'The generic SMS driver takes no callbacks')
  }

  async poll() {
    return []
  }

  async fetchProof(): Promise<FetchedProof> {
    throw new DriverError('rejected', 'SMS gateways issue no proof')
  }
}
