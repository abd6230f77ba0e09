/**
 * AR24 electronic registered letters (LRE). Sends as the connection's sender user, with our
 * dispatch id in `custom_ref`. Callbacks are unsigned, so they only tell us which mail to re-read.
 */
import { request } from 'undici'
import {
  DriverError,
  type CallbackResult,
  type ChannelDriver,
  type ConnectionContext,
  type FetchedProof,
  type IncomingCallback,
  type OutgoingMessage,
  type ProofRef,
  type ProviderEvent,
  type SendResult,
} from '../../channel-driver.js'
import { ar24BaseUrl, ar24Call, ar24Credentials, type Ar24File } from './ar24-client.js'
import { ar24Events, ar24SendResult, type Ar24Mail } from './ar24-mapping.js'

const LOOKUP_PAGE = 100

function splitName(name: string): { firstname: string; lastname: string } {
  const parts = name.trim().split(/\s+/)
  if (parts.length < 2) return { firstname: '', lastname: name.trim() }
  return { firstname: parts.slice(0, -1).join(' '), lastname: parts.at(-1) ?? '' }
}

function callbackFields(callback: IncomingCallback): Record<string, string> {
  const raw = callback.body.toString('utf8').trim()
  // The payload is undocumented ([SILENT]): accept JSON or a form body, and the query string.
  let fields: Record<string, unknown> = {}
  if (raw.startsWith('{')) {
    try {
      fields = JSON.parse(raw) as Record<string, unknown>
    } catch {
      throw new DriverError('rejected', 'AR24 callback body is not JSON', 'invalid_callback')
    }
  } else if (raw) fields = Object.fromEntries(new URLSearchParams(raw))
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries({ ...callback.query, ...fields })) {
    if (typeof value === 'string' || typeof value === 'number') out[key] = String(value)
  }
  return out
}

export class Ar24Driver implements ChannelDriver {
  readonly name = 'ar24'
  readonly channels = ['registered_email'] as const

  async send(conn: ConnectionContext, message: OutgoingMessage): Promise<SendResult> {
    const email = message.recipient.email
    if (!email) throw new DriverError('rejected', 'An electronic registered letter needs the recipient e-mail', 'missing_email')
    const userId = await this.senderUserId(conn)
    const files: { filename: string; content: Buffer; contentType: string }[] = [...message.attachments]
    if (message.letterPdf) files.unshift({ filename: `${message.dispatchId}.pdf`, contentType: 'application/pdf', content: message.letterPdf })
    const fileIds: string[] = []
    for (const file of files) {
      const upload: Ar24File = { field: 'file', filename: file.filename, contentType: file.contentType, content: file.content }
      const result = (await ar24Call(conn, 'POST', 'attachment', { file_name: file.filename, id_user: userId }, [upload])) as { file_id?: string | number }
      if (result?.file_id === undefined) throw new DriverError('transient', 'AR24 attachment upload returned no file_id', 'unreadable_response')
      fileIds.push(String(result.file_id))
    }
    const { firstname, lastname } = splitName(message.recipient.name)
    const business = message.recipient.kind !== 'consumer'
    const mail = (await ar24Call(conn, 'POST', 'mail', {
      id_user: userId,
      to_firstname: firstname,
      to_lastname: lastname,
      to_email: email,
      to_company: business ? message.recipient.name : undefined,
      dest_statut: business ? 'professionnel' : 'particulier',
      // AR24 expects `attachment[]`, not `attachments` (providers.md).
      'attachment[]': fileIds,
      content: message.html ?? message.text ?? message.subject,
      custom_ref: message.dispatchId,
      ref_dossier: message.dispatchId,
    })) as Ar24Mail
    return ar24SendResult(mail)
  }

  async lookup(conn: ConnectionContext, dispatchId: string): Promise<SendResult | null> {
    const userId = await this.senderUserId(conn)
    // AR24 has no search by reference ([SILENT]): page through the sender's mails, newest first.
    for (let start = 0; ; start += LOOKUP_PAGE) {
      const result = (await ar24Call(conn, 'GET', 'user/mail', { id_user: userId, max: String(LOOKUP_PAGE), start: String(start), sort: 'desc' })) as
        | { mails?: Ar24Mail[] }
        | Ar24Mail[]
      const mails = Array.isArray(result) ? result : (result?.mails ?? [])
      const found = mails.find((mail) => mail.custom_ref === dispatchId)
      if (found) return ar24SendResult(found)
      if (mails.length < LOOKUP_PAGE) return null
    }
  }

  async parseCallback(conn: ConnectionContext, callback: IncomingCallback): Promise<CallbackResult> {
    const fields = callbackFields(callback)
    const type = fields.type ?? 'mail'
    if (type !== 'mail') return { events: [], reply: { statusCode: 200 } } // user status changes do not concern dispatches
    const mailId = fields.id_mail ?? fields.id ?? fields.mail_id
    if (!mailId || !/^[\w-]{1,64}$/.test(mailId)) throw new DriverError('rejected', 'AR24 callback names no mail id', 'invalid_callback')
    try {
      // Nothing in the callback is trusted: the state comes from our own authenticated read.
      return { events: await this.poll(conn, mailId), reply: { statusCode: 200 } }
    } catch (error) {
      if (error instanceof DriverError && error.kind === 'rejected') {
        throw new DriverError('unauthorized', `AR24 callback names a mail this connection cannot read (${error.providerCode})`, error.providerCode)
      }
      throw error
    }
  }

  async poll(conn: ConnectionContext, providerRef: string): Promise<ProviderEvent[]> {
    const mail = (await ar24Call(conn, 'GET', 'mail', { id: providerRef })) as Ar24Mail
    return ar24Events(mail)
  }

  async fetchProof(conn: ConnectionContext, proof: ProofRef): Promise<FetchedProof> {
    const url = new URL(proof.locator)
    // Proof URLs come from AR24's answers; never let one point us at another host.
    if (url.origin !== new URL(ar24BaseUrl(conn)).origin) throw new DriverError('rejected', `Proof URL outside AR24: ${url.origin}`, 'foreign_proof_url')
    let response
    try {
      response = await request(url, { method: 'GET', headersTimeout: 60_000, bodyTimeout: 60_000 })
    } catch (error) {
      throw new DriverError('transient', `AR24 unreachable: ${(error as Error).message}`)
    }
    const content = Buffer.from(await response.body.arrayBuffer())
    if (response.statusCode >= 500) throw new DriverError('transient', `AR24 proof download HTTP ${response.statusCode}`, undefined, response.statusCode)
    if (response.statusCode !== 200 || content.subarray(0, 5).toString('latin1') !== '%PDF-') {
      throw new DriverError('rejected', `AR24 proof download did not return a PDF (HTTP ${response.statusCode})`, 'proof_unavailable', response.statusCode)
    }
    return { filename: proof.filename ?? `ar24-${proof.kind}.pdf`, contentType: 'application/pdf', content }
  }

  private async senderUserId(conn: ConnectionContext): Promise<string> {
    const creds = ar24Credentials(conn)
    if (creds.userId) return creds.userId
    const user = (await ar24Call(conn, 'GET', 'user', { email: creds.userEmail })) as { id?: string | number }
    if (user?.id === undefined) throw new DriverError('rejected', 'AR24 sender user not found', 'user_not_exist')
    return String(user.id)
  }
}
