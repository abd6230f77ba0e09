/**
 * The soak's counterparts, in a process of their own so their work is not counted in the server's
 * memory nor delays the load generator: the AR24 and print-mail simulators (frozen clocks moved by
 * the soak with the tenant's test clock, calling Relance back), an SMTP server for the tenant's
 * e-mail connection, and the ERP's webhook receiver (https, as production requires) verifying every
 * delivery with `standardwebhooks`.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { startAr24Simulator } from '../../src/sandbox/ar24-simulator.js'
import { startPrintMailSimulator } from '../../src/sandbox/print-mail-simulator.js'
import { startSmtpSink } from './smtp-sink.js'

export interface PeerStats {
  webhooks: { verified: number; rejected: number; unique: number }
  smtp: { messages: number; dispatches: number; duplicates: number }
  /** Provider callbacks to Relance: attempts, and answers other than the provider expects. */
  callbacks: { attempts: number; refused: number }
  /** Letters or e-registered mails submitted more than once for one dispatch. */
  duplicateLetters: number
}

export type PeerMessage =
  | { type: 'ready'; ar24: string; ar24Api: string; printMail: string; printMailApi: string; printMailAuth: string; smtpPort: number; receiver: string }
  | { type: 'secret'; secret: string }
  | { type: 'stats' }
  | { type: 'stats-answer'; stats: PeerStats }

const send = (message: PeerMessage) => process.send?.(message)
const relance = process.env.SOAK_RELANCE_URL!
const startAt = new Date(process.env.SOAK_CLOCK_START!)

const ar24 = await startAr24Simulator({ timeScale: 0, startAt, callbackUrl: `${relance}/v1/channel-callbacks/sandbox-ar24` })
const printMail = await startPrintMailSimulator({ timeScale: 0, startAt, callbackUrl: `${relance}/v1/channel-callbacks/sandbox-print-mail` })
const smtp = await startSmtpSink()

let verifier: Webhook | undefined
const webhooks = { verified: 0, rejected: 0 }
const seen = new Set<string>()
const tls = { key: readFileSync(process.env.SOAK_TLS_KEY!), cert: readFileSync(process.env.SOAK_TLS_CERT!) }
const receiver = createServer(tls, (req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    try {
      verifier!.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>)
      webhooks.verified++
      seen.add(String(req.headers['webhook-id']))
      res.writeHead(204).end()
    } catch {
      webhooks.rejected++
      res.writeHead(400).end('bad signature')
    }
  })
})
receiver.keepAliveTimeout = 60_000
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))

const refused = (responses: number[], expected: number) => responses.filter((s) => s !== expected).length
const repeats = (byRef: Record<string, number>) => Object.values(byRef).filter((n) => n > 1).length

process.on('message', (message: PeerMessage) => {
  if (message.type === 'secret') verifier = new Webhook(message.secret)
  if (message.type === 'stats') {
    send({
      type: 'stats-answer',
      stats: {
        webhooks: { ...webhooks, unique: seen.size },
        smtp: smtp.counts(),
        callbacks: {
          attempts: ar24.stats.callbacks.attempts + printMail.stats.callbacks.attempts,
          refused: refused(ar24.stats.callbacks.responses, 200) + refused(printMail.stats.callbacks.responses, 201),
        },
        duplicateLetters: repeats(ar24.stats.sendsByRef) + repeats(printMail.stats.sendsByRef),
      },
    })
  }
})
process.on('disconnect', () => process.exit(0))
send({
  type: 'ready',
  ar24: ar24.url,
  ar24Api: ar24.apiUrl,
  printMail: printMail.url,
  printMailApi: printMail.apiUrl,
  printMailAuth: printMail.authUrl,
  smtpPort: smtp.port,
  receiver: `https://127.0.0.1:${(receiver.address() as AddressInfo).port}/relance/webhooks`,
})
