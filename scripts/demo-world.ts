/**
 * Everything `npm run demo` runs in one process, on loopback: an embedded PostgreSQL in a temporary
 * directory, the Relance app on a free port, the AR24 and print-mail simulators calling it back, an
 * SMTP server that receives the e-mails, and the ERP's webhook receiver that verifies every delivery.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { SMTPServer } from 'smtp-server'
import { Webhook } from 'standardwebhooks'
import type { RelanceEvent } from '../clients/typescript/index.js'
import { buildApp } from '../src/app.js'
import { loadEnv } from '../src/config/env.js'
import { openDatabase, withSystem } from '../src/db/client.js'
import { runMigrations } from '../src/db/migrate.js'
import { ensureBootstrapKey } from '../src/modules/api-keys/api-keys.service.js'
import { createAddressPolicy } from '../src/modules/webhooks/address-policy.js'
import { createGuardedAgent } from '../src/modules/webhooks/guarded-agent.js'
import { runWebhookPump } from '../src/modules/webhooks/pump.js'
import { ensureDatabase, startEmbeddedPostgres } from '../src/platform/embedded-postgres.js'
import { startAr24Simulator } from '../src/sandbox/ar24-simulator.js'
import { startPrintMailSimulator } from '../src/sandbox/print-mail-simulator.js'
import { resolveSecretKey } from '../src/shared/secret-box.js'

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))))
    })
  })
}

const listening = (server: Server | SMTPServer['server']) => (server.address() as AddressInfo).port

/** An SMTP server that takes every message and remembers who it was for. */
async function startMailbox() {
  const recipients: string[] = []
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
    onData(stream, session, callback) {
      stream.on('data', () => undefined)
      stream.on('end', () => {
        recipients.push(...session.envelope.rcptTo.map((r) => r.address))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: listening(server.server), recipients, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** The ERP side: receives webhooks and verifies each with the `standardwebhooks` package. */
async function startWebhookReceiver() {
  const state = { secret: '', verified: 0, rejected: 0, events: [] as RelanceEvent[] }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      try {
        const body = Buffer.concat(chunks).toString('utf8')
        const event = new Webhook(state.secret).verify(body, req.headers as Record<string, string>) as RelanceEvent
        state.verified++
        state.events.push(event)
        res.writeHead(204).end()
      } catch {
        state.rejected++
        res.writeHead(400).end('bad signature')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${listening(server)}/relance/webhooks`
  return { state, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

export async function startWorld(clockStart: Date) {
  const dir = await mkdtemp(path.join(tmpdir(), 'relance-demo-'))
  await chmod(dir, 0o755) // the postgres system user (when run as root) must reach its data directory
  const embedded = await startEmbeddedPostgres({ dir, port: await freePort() })
  await ensureDatabase(embedded.adminUrl(), 'relance')
  const database = openDatabase(embedded.appUrl('relance'), 10)
  await runMigrations(database.pool)
  const platformKey = (await withSystem(database.db, (tx) => ensureBootstrapKey(tx)))!

  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  // Frozen simulator clocks: the demo moves them with the tenant's test clock.
  const ar24 = await startAr24Simulator({ timeScale: 0, startAt: clockStart, callbackUrl: `${base}/v1/channel-callbacks/sandbox-ar24` })
  const printMail = await startPrintMailSimulator({ timeScale: 0, startAt: clockStart, callbackUrl: `${base}/v1/channel-callbacks/sandbox-print-mail` })
  const mailbox = await startMailbox()
  const receiver = await startWebhookReceiver()

  const env = loadEnv({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    PORT: String(port),
    RELANCE_SANDBOX_AR24_URL: ar24.apiUrl,
    RELANCE_SANDBOX_PRINT_MAIL_API_URL: printMail.apiUrl,
    RELANCE_SANDBOX_PRINT_MAIL_AUTH_URL: printMail.authUrl,
    // The receiver is on loopback, which webhook URLs may not reach outside local development.
    RELANCE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
  })
  const app = await buildApp({ env, database })
  await app.listen({ host: '127.0.0.1', port })
  const dispatcher = createGuardedAgent({ policy: createAddressPolicy(env.RELANCE_WEBHOOK_ALLOWED_CIDRS), timeoutMs: 10_000 })
  const secretKey = resolveSecretKey(env)

  return {
    base,
    platformKey,
    mailbox,
    receiver,
    ar24,
    printMail,
    /** What the worker's `webhooks.pump` job does every second, run once on demand (wall clock: signatures are checked against it). */
    pumpWebhooks: () => runWebhookPump(database.db, new Date(), { secretKey, dispatcher }),
    /** Moves both simulators to `to`; their callbacks reach the app before this resolves. */
    async advanceProviders(to: Date) {
      for (const sim of [ar24, printMail]) await fetch(`${sim.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ to: to.toISOString() }) })
      const settled = () => [ar24, printMail].every((s) => s.stats.callbacks.attempts === s.stats.callbacks.responses.length)
      let calm = 0
      while (calm < 3) {
        await new Promise((resolve) => setTimeout(resolve, 15))
        calm = settled() ? calm + 1 : 0
      }
    },
    async stop() {
      await app.close()
      await Promise.all([ar24.close(), printMail.close(), mailbox.close(), receiver.close(), dispatcher.close()])
      await database.close()
      await embedded.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export type World = Awaited<ReturnType<typeof startWorld>>
