/**
 * The soak's world: its own embedded PostgreSQL in a temporary directory, the peers process
 * (simulators, SMTP, webhook receiver), and Relance as `npm start` runs it (src/main.ts, production
 * mode, API and worker in one process) with its log lines in a file. Everything is stopped and the
 * database deleted by `stop()`; the log file is kept.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { openSync, closeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { openDatabase } from '../../src/db/client.js'
import { runMigrations } from '../../src/db/migrate.js'
import { ensureDatabase, startEmbeddedPostgres } from '../../src/platform/embedded-postgres.js'
import { freePort } from '../demo-world.js'
import type { PeerMessage, PeerStats } from './soak-peers.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const DATABASE = 'relance_soak'

export type Peers = Extract<PeerMessage, { type: 'ready' }>

export interface SoakWorld {
  base: string
  platformKey: string
  peers: Peers
  /** Superuser connection to the soak database, for the backlog counts. */
  admin: pg.Client
  logFile: string
  /** Resolves with the server's exit code if it stops before `stop()`. */
  serverExited: Promise<number | null>
  peerStats(): Promise<PeerStats>
  sendWebhookSecret(secret: string): void
  stop(): Promise<void>
}

function onMessage<T extends PeerMessage['type']>(child: ChildProcess, type: T): Promise<Extract<PeerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => {
      child.off('message', listener)
      reject(new Error(`soak peers exited with code ${code}`))
    }
    const listener = (message: PeerMessage) => {
      if (message.type !== type) return
      child.off('message', listener)
      child.off('exit', exited)
      resolve(message as Extract<PeerMessage, { type: T }>)
    }
    child.on('message', listener)
    child.once('exit', exited)
  })
}

async function waitReady(base: string, server: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`Relance exited with code ${server.exitCode} during start-up (see its log)`)
    const ok = await fetch(`${base}/readyz`).then((r) => r.ok).catch(() => false)
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`Relance was not ready within ${timeoutMs / 1000} s`)
}

function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill(signal)
  })
}

/**
 * Production refuses webhook URLs that are not https: the receiver gets a certificate made for the
 * run, and Relance trusts it through NODE_EXTRA_CA_CERTS (as it would a private CA).
 */
function makeCertificate(dir: string): { key: string; cert: string } {
  const key = path.join(dir, 'receiver-key.pem')
  const cert = path.join(dir, 'receiver-cert.pem')
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '7', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
  } catch (error) {
    throw new Error(`the soak needs the openssl command to make the webhook receiver's certificate: ${(error as Error).message}`, { cause: error })
  }
  return { key, cert }
}

export async function startSoakWorld(options: { clockStart: Date; logFile: string; logLevel: string; poolMax: number }): Promise<SoakWorld> {
  const dir = await mkdtemp(path.join(tmpdir(), 'relance-soak-'))
  await chmod(dir, 0o755) // the postgres system user (when run as root) must reach its data directory
  const embedded = await startEmbeddedPostgres({ dir, port: await freePort() })
  let peers: ChildProcess | undefined
  let server: ChildProcess | undefined
  let admin: pg.Client | undefined
  const stop = async () => {
    await stopChild(server)
    await stopChild(peers)
    await admin?.end().catch(() => undefined)
    await embedded.stop().catch(() => undefined)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await ensureDatabase(embedded.adminUrl(), DATABASE)
    const migrating = openDatabase(embedded.appUrl(DATABASE), 1)
    await runMigrations(migrating.pool)
    await migrating.close()
    admin = new pg.Client({ connectionString: embedded.adminUrl(DATABASE) })
    await admin.connect()

    const tls = makeCertificate(dir)
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    peers = fork(fileURLToPath(new URL('./soak-peers.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, SOAK_RELANCE_URL: base, SOAK_CLOCK_START: options.clockStart.toISOString(), SOAK_TLS_KEY: tls.key, SOAK_TLS_CERT: tls.cert },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const ready = await onMessage(peers, 'ready')

    const platformKey = `rl_platform_${randomBytes(24).toString('hex')}`
    const log = openSync(options.logFile, 'w')
    // SOAK_CPU_PROF=dir: a CPU profile of the server, written when it stops, to see what blocks its event loop.
    const profile = process.env.SOAK_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SOAK_CPU_PROF}`] : []
    server = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      // Only what the soak sets: nothing from the caller's shell changes the run.
      env: {
        PATH: process.env.PATH,
        NODE_EXTRA_CA_CERTS: tls.cert,
        NODE_ENV: 'production',
        RELANCE_ROLE: 'all',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: embedded.appUrl(DATABASE),
        DATABASE_POOL_MAX: String(options.poolMax),
        RELANCE_SECRET_KEY: randomBytes(32).toString('hex'),
        RELANCE_BOOTSTRAP_KEY: platformKey,
        LOG_LEVEL: options.logLevel,
        // The load is one tenant's key at far more than an ERP sends; the limit is tested elsewhere.
        RELANCE_RATE_LIMIT_PER_MINUTE: '100000000',
        // The webhook receiver and the simulators are on loopback.
        RELANCE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
        RELANCE_SANDBOX_SIMULATORS: 'false',
        RELANCE_SANDBOX_AR24_URL: ready.ar24Api,
        RELANCE_SANDBOX_PRINT_MAIL_API_URL: ready.printMailApi,
        RELANCE_SANDBOX_PRINT_MAIL_AUTH_URL: ready.printMailAuth,
      },
      stdio: ['ignore', log, log],
    })
    closeSync(log)
    const serverExited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)))
    await waitReady(base, server, 120_000)

    const peerProcess = peers
    return {
      base,
      platformKey,
      peers: ready,
      admin,
      logFile: options.logFile,
      serverExited,
      peerStats: () => {
        const answer = onMessage(peerProcess, 'stats-answer')
        peerProcess.send({ type: 'stats' } satisfies PeerMessage)
        return answer.then((m) => m.stats)
      },
      sendWebhookSecret: (secret) => peerProcess.send({ type: 'secret', secret } satisfies PeerMessage),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
