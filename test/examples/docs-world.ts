/**
 * The world a docs page's samples run in, and how they are run: a real server on a fresh database
 * with the provider simulators and a webhook sink, one bash per page, node + tsx for ts/js.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { AR24_SANDBOX_DEFAULTS, startAr24Simulator } from '../../src/sandbox/ar24-simulator.js'
import { PRINT_MAIL_SANDBOX_DEFAULTS, startPrintMailSimulator } from '../../src/sandbox/print-mail-simulator.js'
import { buildTestApp, createTenant, type TestApp } from '../helper.js'
import { createAddressPolicy } from '../../src/modules/webhooks/address-policy.js'
import { createGuardedAgent } from '../../src/modules/webhooks/guarded-agent.js'
import { runWebhookPump } from '../../src/modules/webhooks/pump.js'
import { resolveSecretKey } from '../../src/shared/secret-box.js'
import pg from 'pg'
import { startSink, type Received } from '../webhooks/webhook-fixtures.js'
import { where, type DocBlock } from './docs-blocks.js'

export const run = promisify(execFile)

export interface World {
  ctx: TestApp
  base: string
  tenantId: string
  key: string
  /** The shell's working directory: files from `file:` blocks, node_modules linked for samples. */
  dir: string
  env: Record<string, string>
  received: Received[]
}

export interface PageRun {
  world: World
  markdown: string
  blocks: DocBlock[]
  /** What each run `sh` block printed. */
  outputs: Map<DocBlock, string>
  /** The shell's upper-case variables after the last block. */
  vars: Record<string, string>
  done(block: DocBlock, how: string): void
  /** Runs a file with node (tsx loaded) in the world's directory. */
  node(file: string, env?: Record<string, string>): Promise<string>
}

export async function startWorld(t: Test): Promise<World> {
  const ctx = await buildTestApp(t, { RELANCE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' })
  const base = await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  // As `npm start` does outside production: sandbox registered mail goes to the simulators, which call back.
  // Their clocks are frozen here: a sample moves them on (POST /_sandbox/advance), so every run is the same.
  const ar24 = await startAr24Simulator({ timeScale: 0, callbackUrl: `${base}/v1/channel-callbacks/sandbox-ar24`, retryMsPerMinute: 1 })
  const printMail = await startPrintMailSimulator({ timeScale: 0, callbackUrl: `${base}/v1/channel-callbacks/sandbox-print-mail`, retryMsPerMinute: 1 })
  t.teardown(() => Promise.all([ar24.close(), printMail.close()]))
  Object.assign(ctx.app.dispatchDeps.sandbox, { ar24Url: ar24.apiUrl, printMailApiUrl: printMail.apiUrl, printMailAuthUrl: printMail.authUrl })
  const sink = await startSink(t)
  const { tenantId, key } = await createTenant(ctx, { name: 'Atelier Dupont SAS', mode: 'sandbox' })
  const dir = await mkdtemp(path.join(tmpdir(), 'relance-docs-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  // Like an integrator's ESM project: bare imports resolve to ours, `.js` files are modules.
  await symlink(path.resolve('node_modules'), path.join(dir, 'node_modules'))
  await writeFile(path.join(dir, 'package.json'), '{"type":"module","private":true}\n')
  const pm = PRINT_MAIL_SANDBOX_DEFAULTS
  const env = {
    ...(process.env as Record<string, string>),
    RELANCE: base,
    PK: ctx.platformKey,
    KEY: key,
    TENANT: tenantId,
    ERP_WEBHOOK_URL: sink.url,
    DATABASE_URL: ctx.url,
    // What `npm run sandbox` prints for a connection to the simulators.
    AR24_URL: ar24.apiUrl,
    AR24_TOKEN: AR24_SANDBOX_DEFAULTS.token,
    AR24_PRIVATE_KEY: AR24_SANDBOX_DEFAULTS.privateKey,
    AR24_USER_ID: AR24_SANDBOX_DEFAULTS.user.id,
    MAILEVA_API_URL: printMail.apiUrl,
    MAILEVA_AUTH_URL: printMail.authUrl,
    MAILEVA_CLIENT_ID: pm.clientId,
    MAILEVA_CLIENT_SECRET: pm.clientSecret,
    MAILEVA_USERNAME: pm.username,
    MAILEVA_PASSWORD: pm.password,
  }
  return { ctx, base, tenantId, key, dir, env, received: sink.received }
}

const MARK = (i: number) => `@@docs-block ${i}@@`

/** One bash for the page: each block's stdout separately, and the variables at the end. */
export async function runShell(world: World, shBlocks: DocBlock[], prefix: DocBlock[]): Promise<{ outputs: Map<DocBlock, string>; vars: Record<string, string> }> {
  const all = [...prefix, ...shBlocks]
  const script = [
    'set -euo pipefail',
    // Plain `curl -s` in the docs; here any HTTP error fails the page (unless the sample asks for the status with -w).
    'curl() { case " $* " in *" -w "*) command curl -sS "$@" ;; *) command curl --fail-with-body -sS "$@" ;; esac; }',
    // A newline first: a block's last line may not end with one.
    ...all.flatMap((b, i) => [`printf '\\n${MARK(i)}\\n'`, b.code]),
    `printf '\\n${MARK(all.length)}\\n'`,
    'set +u',
    'for v in $(compgen -v | grep -E "^[A-Z][A-Z0-9_]*$"); do printf "%s=%s\\n" "$v" "${!v}"; done',
  ].join('\n')
  let stdout: string
  try {
    stdout = (await run('bash', ['-c', script], { cwd: world.dir, env: world.env, timeout: 180_000, maxBuffer: 64 << 20 })).stdout
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number | string; signal?: string }
    const last = [...(e.stdout ?? '').matchAll(/@@docs-block (\d+)@@/g)].at(-1)?.[1]
    const block = last === undefined ? undefined : all[Number(last)]
    throw new Error(`${block ? where(block) : 'the shell'} failed (exit ${e.code ?? e.signal})\n--- stdout (end)\n${(e.stdout ?? '').slice(-3000)}\n--- stderr\n${(e.stderr ?? '').slice(-3000)}`, { cause: error })
  }
  const parts = stdout.split(/\n@@docs-block \d+@@\n/).slice(1)
  const outputs = new Map(all.map((b, i) => [b, parts[i] ?? '']))
  const vars = Object.fromEntries(
    (parts[all.length] ?? '')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  )
  return { outputs, vars }
}

/** Writes a ts/js block to the world's directory with its relative imports made absolute. */
export async function writeSample(world: Pick<World, 'dir'>, block: DocBlock, name: string): Promise<string> {
  const from = path.resolve(block.directives.module ? path.dirname(block.directives.module) : '.')
  const code = block.code.replace(/(from\s+|import\s*\()'(\.{1,2}\/[^']+)'/g, (_m, head: string, spec: string) => `${head}'${path.resolve(from, spec)}'`)
  const file = path.join(world.dir, `${name}.${block.lang === 'ts' ? 'mts' : 'mjs'}`)
  await writeFile(file, code)
  return file
}


/** One webhook pump pass, as a worker would run it: what is queued goes to the world's sink. */
export async function deliverWebhooks(world: World): Promise<void> {
  const dispatcher = createGuardedAgent({ policy: createAddressPolicy('127.0.0.1/32'), timeoutMs: 5_000 })
  try {
    const run = await runWebhookPump(world.ctx.database.db, new Date(), { secretKey: resolveSecretKey(world.ctx.env), dispatcher })
    if (run.failed) throw new Error(`${run.failed} webhook deliveries failed`)
  } finally {
    await dispatcher.close()
  }
}

/** A SQL sample as psql would run it: one simple-protocol query (several statements) as the application role. */
export async function runSql(world: World, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: world.ctx.url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}
