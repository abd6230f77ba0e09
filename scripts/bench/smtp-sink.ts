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
  close(): Promise<void>
}

const DISPATCH_HEADER = /^X-Relance-Dispatch-Id:\s*(\S+)/im

export async function startSmtpSink(): Promise<SmtpSink> {
  const seen = new Map<string, number>()
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
        const id = DISPATCH_HEADER.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? `(no id ${messages})`
        seen.set(id, (seen.get(id) ?? 0) + 1)
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.server.address() as AddressInfo).port,
    counts: () => ({ messages, dispatches: seen.size, duplicates: messages - seen.size }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
