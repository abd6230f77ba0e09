import type SMTPTransport from 'nodemailer/lib/smtp-transport'
import { DriverError, type ConnectionContext } from '../../channel-driver.js'

/**
 * A connection's SMTP settings. Non-secret `settings`: host, port (587), secure (true on 465:
 * implicit TLS; otherwise STARTTLS when offered), from (defaults to the sender identity's email),
 * reply_to, require_tls, tls_reject_unauthorized (true). Secret `credentials`: user, pass.
 */
export interface SmtpSettings {
  transport: SMTPTransport.Options
  from: { name: string; address: string }
  replyTo?: string
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)
const bool = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : fallback)

export function smtpSettings(conn: ConnectionContext): SmtpSettings {
  const host = str(conn.settings.host)
  const port = Number(conn.settings.port ?? 587)
  const from = str(conn.settings.from) ?? conn.sender.email
  // A connection that cannot work is a configuration error: retrying would not help.
  if (!host) throw new DriverError('rejected', 'SMTP connection has no host setting', 'config')
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new DriverError('rejected', `SMTP port ${String(conn.settings.port)} is not valid`, 'config')
  if (!from) throw new DriverError('rejected', 'SMTP connection has no from address (settings.from or sender.email)', 'config')
  const user = conn.credentials.user
  return {
    transport: {
      host,
      port,
      secure: bool(conn.settings.secure, port === 465),
      requireTLS: bool(conn.settings.require_tls, false),
      auth: user ? { user, pass: conn.credentials.pass ?? '' } : undefined,
      tls: { rejectUnauthorized: bool(conn.settings.tls_reject_unauthorized, true) },
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    },
    from: { name: conn.sender.name, address: from },
    replyTo: str(conn.settings.reply_to),
  }
}
