import type { AddressInfo } from 'node:net'
import { SMTPServer, type SMTPServerAddress } from 'smtp-server'

export interface Received {
  from: string
  to: string[]
  raw: string
  user?: string
}

/** A real SMTP server on loopback: refuses addresses containing "reject" (550) and "later" (451). */
export async function startSmtp(t: { teardown(fn: () => unknown): void }) {
  const received: Received[] = []
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'relance' && auth.password === 's3cret') return callback(null, { user: auth.username })
      const error = Object.assign(new Error('Invalid credentials'), { responseCode: 535 })
      callback(error)
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (address.address.includes('reject')) return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }))
      if (address.address.includes('later')) return callback(Object.assign(new Error('4.2.0 Greylisted, try again later'), { responseCode: 451 }))
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const port = (server.server.address() as AddressInfo).port
  return { port, received }
}
