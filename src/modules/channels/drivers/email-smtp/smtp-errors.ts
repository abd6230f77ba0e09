import { DriverError } from '../../channel-driver.js'

/** What nodemailer attaches to its errors. */
export interface SmtpFailure {
  code?: string
  command?: string
  responseCode?: number
  response?: string
  message?: string
}

export function asSmtpFailure(error: unknown): SmtpFailure {
  return typeof error === 'object' && error !== null ? (error as SmtpFailure) : { message: String(error) }
}

/** The server refused the recipient for good (RCPT TO answered 5xx): the address bounced. */
export function isPermanentRecipientRejection(failure: SmtpFailure): boolean {
  return failure.code === 'EENVELOPE' && (failure.responseCode ?? 0) >= 500 && (failure.responseCode ?? 0) < 600 && /RCPT/i.test(failure.command ?? 'RCPT')
}

/**
 * Any other failure. 4xx replies (greylisting, mailbox busy, 421 shutting down) and transport
 * errors (refused connection, timeout, TLS) are worth retrying; a 5xx reply to anything else
 * (535 bad credentials, 552 message too big, 554 rejected content) will fail the same way again.
 */
export function smtpDriverError(failure: SmtpFailure): DriverError {
  const reply = failure.response ?? failure.message ?? 'SMTP error'
  const status = failure.responseCode
  if (status !== undefined && status >= 500 && status < 600) return new DriverError('rejected', reply, String(status))
  return new DriverError('transient', reply, status !== undefined ? String(status) : failure.code)
}
