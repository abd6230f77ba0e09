import nodemailer from 'nodemailer'
import MailComposer from 'nodemailer/lib/mail-composer'
import {
  DriverError,
  type CallbackResult,
  type ChannelDriver,
  type ConnectionContext,
  type FetchedProof,
  type OutgoingMessage,
  type ProofRef,
  type ProviderEvent,
  type SendResult,
} from '../../channel-driver.js'
import { asSmtpFailure, isPermanentRecipientRejection, smtpDriverError } from './smtp-errors.js'
import { smtpSettings } from './smtp-settings.js'

const EML_PREFIX = 'data:message/rfc822;base64,'

/** `<dsp_…@sender-domain>`: the same dispatch always carries the same Message-ID, so a resend is recognisable downstream. */
export function messageIdFor(dispatchId: string, fromAddress: string): string {
  const domain = fromAddress.split('@')[1] || 'relance.invalid'
  return `<${dispatchId}@${domain}>`
}

/**
 * Email over SMTP (nodemailer). SMTP has no way to ask a server what it received, so `lookup`
 * answers null and the dispatch loop must rely on its own `sending` state to avoid a second send
 * after a crash; it has no delivery callbacks either (`poll` and `parseCallback` give nothing) —
 * "sent" means the receiving server accepted the message. The exact bytes sent are kept as the
 * `content` proof, carried inside its locator (drivers keep no state between calls).
 */
export class EmailSmtpDriver implements ChannelDriver {
  readonly name = 'email-smtp'
  readonly channels = ['email'] as const

  async send(conn: ConnectionContext, message: OutgoingMessage): Promise<SendResult> {
    const settings = smtpSettings(conn)
    const to = message.recipient.email
    if (!to) throw new DriverError('rejected', 'The recipient has no email address', 'no_recipient')
    const messageId = messageIdFor(message.dispatchId, settings.from.address)
    const eml = await new MailComposer({
      from: settings.from,
      to: { name: message.recipient.name, address: to },
      replyTo: settings.replyTo,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId,
      headers: { 'X-Relance-Dispatch-Id': message.dispatchId },
      attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    })
      .compile()
      .build()
    const transport = nodemailer.createTransport(settings.transport)
    try {
      const info = await transport.sendMail({ envelope: { from: settings.from.address, to: [to] }, raw: eml })
      return {
        providerRef: messageId,
        status: 'sent',
        rawStatus: String(info.response ?? '250 accepted'),
        proofs: [{ kind: 'content', locator: EML_PREFIX + eml.toString('base64'), filename: `${message.dispatchId}.eml` }],
      }
    } catch (error) {
      const failure = asSmtpFailure(error)
      if (isPermanentRecipientRejection(failure)) {
        return { providerRef: messageId, status: 'bounced', rawStatus: failure.response ?? `${failure.responseCode} recipient rejected` }
      }
      throw smtpDriverError(failure)
    } finally {
      transport.close()
    }
  }

  /** SMTP cannot be asked whether a message was received. */
  async lookup(): Promise<SendResult | null> {
    return null
  }

  /** No callbacks over SMTP; bounces arriving later by email (DSN) are not read here. */
  async parseCallback(): Promise<CallbackResult> {
    return { events: [], reply: { statusCode: 404 } }
  }

  async poll(): Promise<ProviderEvent[]> {
    return []
  }

  async fetchProof(_conn: ConnectionContext, proof: ProofRef): Promise<FetchedProof> {
    if (proof.kind !== 'content' || !proof.locator.startsWith(EML_PREFIX)) {
      throw new DriverError('rejected', `email-smtp has no ${proof.kind} proof`, 'unsupported_proof')
    }
    return {
      filename: proof.filename ?? 'message.eml',
      contentType: 'message/rfc822',
      content: Buffer.from(proof.locator.slice(EML_PREFIX.length), 'base64'),
    }
  }
}
