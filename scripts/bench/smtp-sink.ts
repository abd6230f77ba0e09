import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/**
 * The workers bench's provider: a real SMTP server on loopback that accepts everything at once
 * (0 latency) and counts messages per `X-Relance-Dispatch-Id`, so a dispatch sent twice by two
 * workers shows up here, where a real recipient would see it.
 */
export interface SmtpSink {
  port: number
  /** Messages received, distinct dispatches among them, and the repeats. */
  counts(): { messages: number; dispatches: number; duplicates: number }
  /** Messages received per dispatch id (the chaos run checks each is exactly 1). */
  byDispatch(): Record<string, number>
  /** Dispatches whose copies did not all carry the same Message-ID (a mail client would show them twice). */
  messageIdMismatches(): string[]
  close(): Promise<void>
}

const DISPATCH_HEADER = /^X-Relance-Dispatch-Id:\s*(\S+)/im
const MESSAGE_ID = /^Message-ID:\s*(\S+)/im

export async function startSmtpSink(): Promise<SmtpSink> {
  const seen = new Map<string, number>()
  const messageIds = new Map<string, Set<string>>()
  let messages = 0
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'bench' }),
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        messages++
        const raw = Buffer.concat(chunks).toString('utf8')
        const id = DISPATCH_HEADER.exec(raw)?.[1] ?? `(no id ${messages})`
        seen.set(id, (seen.get(id) ?? 0) + 1)
        messageIds.set(id, (messageIds.get(id) ?? new Set()).add(MESSAGE_ID.exec(raw)?.[1] ?? '(none)'))
        callback()
      })
    },
  })
  // A client killed mid-session (the chaos run's kill -9) resets its socket: not the server's problem.
  server.on('error', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.server.address() as AddressInfo).port,
    counts: () => ({ messages, dispatches: seen.size, duplicates: messages - seen.size }),
    byDispatch: () => Object.fromEntries(seen),
    messageIdMismatches: () => [...messageIds].filter(([, ids]) => ids.size > 1).map(([id]) => id),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
