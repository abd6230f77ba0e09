/**
 * Print-and-mail letters through a Maileva-style API: `registered_mail/v2` for LRAR (with AR),
 * `mail/v2` for simple letters. One sending per dispatch, `custom_id` = our dispatch id.
 */
import { FormData } from 'undici'
import {
  DriverError,
  type CallbackResult,
  type ChannelDriver,
  type ConnectionContext,
  type FetchedProof,
  type IncomingCallback,
  type OutgoingMessage,
  type PostalAddress,
  type ProofRef,
  type ProviderEvent,
  type SendResult,
} from '../../channel-driver.js'
import type { Channel } from '../../../engine/scenario-definition.js'
import { assertCallbackAuthenticated, parseNotification } from './print-mail-callback.js'
import { mailevaCall, mailevaJson } from './print-mail-client.js'
import { mailevaCost, mailevaEvents, mailevaProofs, type MailevaDeliveryStatus, type MailevaRecipient, type MailevaSending, type MailevaSnapshot } from './print-mail-mapping.js'
import { readZip } from './zip.js'

const RESOURCES = ['registered_mail/v2', 'mail/v2'] as const
const PROVIDER_REF = /^(registered_mail\/v2|mail\/v2)\/sendings\/([\w-]{1,64})$/
const PROOF_PATH = /^(registered_mail|mail)\/v2\/sendings\/[\w-]{1,64}\/(download_deposit_proof|recipients\/[\w-]{1,64}\/(download_acknowledgement_of_receipt|download_archive))$/
const PAGE = 100

function resourceFor(channel: Channel): (typeof RESOURCES)[number] {
  if (channel === 'registered_letter') return 'registered_mail/v2'
  if (channel === 'letter') return 'mail/v2'
  throw new DriverError('rejected', `print-mail cannot send ${channel}`, 'unsupported_channel')
}

/** NF Z10-011: line 1 the name, 2–5 the address, 6 postcode + city. */
function addressLines(name: string, address: PostalAddress, prefix: string): Record<string, string> {
  if (address.lines.length > 4) throw new DriverError('rejected', 'A postal address has at most 4 lines between name and city', 'address_too_long')
  const lines: Record<string, string> = { [`${prefix}1`]: name }
  address.lines.forEach((line, i) => (lines[`${prefix}${i + 2}`] = line))
  lines[`${prefix}6`] = `${address.postcode} ${address.city}`
  return lines
}

export class PrintMailDriver implements ChannelDriver {
  readonly name = 'print-mail'
  readonly channels = ['registered_letter', 'letter'] as const

  async send(conn: ConnectionContext, message: OutgoingMessage): Promise<SendResult> {
    const resource = resourceFor(message.channel)
    const address = message.recipient.postalAddress
    if (!address) throw new DriverError('rejected', 'A letter needs the recipient postal address', 'missing_address')
    if (!message.letterPdf) throw new DriverError('rejected', 'A letter needs the rendered PDF', 'missing_document')
    const sender = conn.sender.postalAddress
    const sending = await mailevaJson<MailevaSending>(conn, 'POST', `${resource}/sendings`, {
      json: {
        name: message.dispatchId,
        custom_id: message.dispatchId,
        custom_data: message.tenantId,
        notification_email: conn.settings.notification_email ?? conn.sender.email,
        color_printing: false,
        duplex_printing: true,
        ...(sender ? { ...addressLines(conn.sender.name, sender, 'sender_address_line_'), sender_country_code: sender.country } : {}),
        ...(resource === 'registered_mail/v2'
          ? { acknowledgement_of_receipt: true, acknowledgement_of_receipt_scanning: conn.settings.scan_acknowledgement !== false }
          : { postage_type: conn.settings.postage_type ?? 'FAST' }),
      },
    })
    const base = `${resource}/sendings/${sending.id}`
    const form = new FormData()
    form.append('document', new Blob([message.letterPdf], { type: 'application/pdf' }), `${message.dispatchId}.pdf`)
    form.append('metadata', JSON.stringify({ priority: 1, name: `${message.dispatchId}.pdf` }))
    await mailevaCall(conn, 'POST', `${base}/documents`, { form })
    await mailevaJson(conn, 'POST', `${base}/recipients`, {
      json: { custom_id: message.dispatchId, country_code: address.country, ...addressLines(message.recipient.name, address, 'address_line_') },
    })
    await mailevaCall(conn, 'POST', `${base}/submit`)
    return this.result(await this.snapshot(conn, resource, sending.id))
  }

  async lookup(conn: ConnectionContext, dispatchId: string): Promise<SendResult | null> {
    for (const resource of RESOURCES) {
      // Filtering by custom_id server-side is not documented ([SILENT]): ask for it, but check every row.
      for (let start = 1; ; start += PAGE) {
        const query = new URLSearchParams({ custom_id: dispatchId, start_index: String(start), count: String(PAGE) })
        const page = await mailevaJson<{ sendings?: MailevaSending[] }>(conn, 'GET', `${resource}/sendings?${query}`)
        const sendings = page.sendings ?? []
        // A DRAFT was never submitted, so it will never be printed: a re-send is safe.
        const found = sendings.find((s) => s.custom_id === dispatchId && s.status !== 'DRAFT')
        if (found) return this.result(await this.snapshot(conn, resource, found.id))
        if (sendings.length < PAGE) break
      }
    }
    return null
  }

  async parseCallback(conn: ConnectionContext, callback: IncomingCallback): Promise<CallbackResult> {
    assertCallbackAuthenticated(conn, callback)
    const notification = parseNotification(callback)
    // The body only says which sending changed; its state comes from our own authenticated read.
    const events = await this.poll(conn, `${notification.resource}/sendings/${notification.sendingId}`)
    return { events, reply: { statusCode: 201 } }
  }

  async poll(conn: ConnectionContext, providerRef: string): Promise<ProviderEvent[]> {
    const match = PROVIDER_REF.exec(providerRef)
    if (!match) throw new DriverError('rejected', `Not a print-mail reference: ${providerRef}`, 'invalid_reference')
    return mailevaEvents(await this.snapshot(conn, match[1]!, match[2]!))
  }

  async fetchProof(conn: ConnectionContext, proof: ProofRef): Promise<FetchedProof> {
    if (!PROOF_PATH.test(proof.locator)) throw new DriverError('rejected', `Not a print-mail proof: ${proof.locator}`, 'invalid_proof_locator')
    const raw = await mailevaCall(conn, 'GET', proof.locator)
    let content = raw.body
    // Proofs come as a PDF inside a zip (providers.md); accept a bare PDF too.
    if (content.subarray(0, 2).toString('latin1') === 'PK') {
      const pdf = readZip(content).find((entry) => entry.content.subarray(0, 5).toString('latin1') === '%PDF-')
      if (!pdf) throw new DriverError('rejected', 'print-mail proof archive holds no PDF', 'proof_unavailable')
      content = pdf.content
    }
    if (content.subarray(0, 5).toString('latin1') !== '%PDF-') throw new DriverError('rejected', 'print-mail proof is not a PDF', 'proof_unavailable')
    return { filename: proof.filename ?? `${proof.kind}.pdf`, contentType: 'application/pdf', content }
  }

  private async snapshot(conn: ConnectionContext, resource: string, sendingId: string): Promise<MailevaSnapshot> {
    const base = `${resource}/sendings/${sendingId}`
    const sending = await mailevaJson<MailevaSending>(conn, 'GET', base)
    const { recipients = [] } = await mailevaJson<{ recipients?: MailevaRecipient[] }>(conn, 'GET', `${base}/recipients`)
    const recipient = recipients[0]
    const deliveryStatuses = recipient
      ? ((await mailevaJson<{ delivery_statuses?: MailevaDeliveryStatus[] }>(conn, 'GET', `${base}/recipients/${recipient.id}/delivery_statuses`)).delivery_statuses ?? [])
      : []
    return { providerRef: base, resource, sending, recipient, deliveryStatuses }
  }

  private result(snapshot: MailevaSnapshot): SendResult {
    const events = mailevaEvents(snapshot)
    const lastStatus = [...events].reverse().find((e) => e.status !== null)?.status
    return {
      providerRef: snapshot.providerRef,
      status: lastStatus ?? 'sent',
      rawStatus: snapshot.recipient?.status === 'REJECTED' ? 'REJECTED' : snapshot.sending.status,
      cost: mailevaCost(snapshot.recipient),
      proofs: mailevaProofs(snapshot),
    }
  }
}
