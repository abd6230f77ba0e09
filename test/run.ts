/**
 * `npm test`: one PostgreSQL for the whole run (embedded, unless DATABASE_URL names a server),
 * a migrated template database, then tap. Each test file clones the template into a fresh database.
 */
import { spawn } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { openDatabase } from '../src/db/client.js'
import { runMigrations } from '../src/db/migrate.js'
import { APP_ROLE, ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from '../src/platform/embedded-postgres.js'

const TEMPLATE = `relance_template_${process.pid}`

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

async function prepare(): Promise<{ adminUrl: string; appUrl: string; embedded?: EmbeddedServer; dir?: string }> {
  const external = process.env.DATABASE_URL
  if (external) {
    // The role in DATABASE_URL needs CREATEDB; it should not be a superuser, or row-level security is bypassed.
    const client = new pg.Client({ connectionString: external })
    await client.connect()
    await client.query(`create database "${TEMPLATE}"`)
    await client.end()
    return { adminUrl: external, appUrl: external }
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'relance-test-'))
  await chmod(dir, 0o755) // the postgres system user must be able to reach its data directory
  const embedded = await startEmbeddedPostgres({ dir, port: await freePort() })
  await ensureDatabase(embedded.adminUrl(), TEMPLATE)
  return { adminUrl: embedded.adminUrl(), appUrl: embedded.appUrl('postgres'), embedded, dir }
}

async function main() {
  const started = Date.now()
  const { adminUrl, appUrl, embedded, dir } = await prepare()
  let code: number
  try {
    const template = openDatabase(withDatabase(appUrl, TEMPLATE), 2)
    await runMigrations(template.pool)
    await template.close()
    process.stdout.write(`# PostgreSQL ready with migrated template in ${Date.now() - started} ms\n`)
    const tap = spawn(path.resolve('node_modules/.bin/tap'), process.argv.slice(2), {
      stdio: 'inherit',
      env: {
        ...process.env,
        RELANCE_TEST_ADMIN_URL: adminUrl,
        RELANCE_TEST_APP_URL: appUrl,
        RELANCE_TEST_TEMPLATE: TEMPLATE,
        RELANCE_TEST_APP_ROLE: embedded ? APP_ROLE : '',
      },
    })
    const forward = (signal: NodeJS.Signals) => tap.kill(signal)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    code = await new Promise<number>((resolve) => tap.on('exit', (c) => resolve(c ?? 1)))
  } finally {
    if (embedded) {
      await embedded.stop()
      await rm(dir!, { recursive: true, force: true })
    } else {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      await client.query(`drop database if exists "${TEMPLATE}" with (force)`)
      await client.end()
    }
  }
  process.exit(code)
}

main().catch((error: unknown) => {
  process.stderr.write(`test runner failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
