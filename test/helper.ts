import { randomBytes } from 'node:crypto'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import pg from 'pg'
import type { DestinationStream } from 'pino'
import { buildApp } from '../src/app.js'
import { loadEnv, type Env } from '../src/config/env.js'
import { openDatabase, withSystem, type Database } from '../src/db/client.js'
import { ensureBootstrapKey } from '../src/modules/api-keys/api-keys.service.js'

interface TapLike {
  teardown(fn: () => unknown): void
}

function required(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\`, which prepares PostgreSQL`)
  return value
}

function urlFor(base: string, database: string): string {
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: required('RELANCE_TEST_ADMIN_URL') })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** A fresh database cloned from the migrated template; dropped when the test ends. */
export async function freshDatabase(t: TapLike): Promise<{ database: Database; url: string; name: string }> {
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`
  const role = process.env.RELANCE_TEST_APP_ROLE
  await admin((c) =>
    c.query(`create database "${name}" template "${required('RELANCE_TEST_TEMPLATE')}"${role ? ` owner ${role}` : ''}`),
  )
  const url = urlFor(required('RELANCE_TEST_APP_URL'), name)
  const database = openDatabase(url, 5)
  t.teardown(async () => {
    await database.close()
    await admin((c) => c.query(`drop database if exists "${name}" with (force)`))
  })
  return { database, url, name }
}

export interface TestApp {
  app: FastifyInstance
  database: Database
  /** The application role's URL of this test's database, for other processes (workers). */
  url: string
  env: Env
  platformKey: string
  inject(options: InjectOptions): Promise<LightMyRequestResponse>
}

/** The whole app on a fresh database, with a platform key; closed when the test ends. */
export async function buildTestApp(
  t: TapLike,
  overrides: Record<string, string> = {},
  options: { logStream?: DestinationStream } = {},
): Promise<TestApp> {
  const { database, url } = await freshDatabase(t)
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides })
  const app = await buildApp({ env, database, logStream: options.logStream })
  t.teardown(() => app.close())
  const platformKey = (await withSystem(database.db, (tx) => ensureBootstrapKey(tx)))!
  return { app, database, url, env, platformKey, inject: (options) => app.inject(options) }
}

/** Runs SQL the way system code does (row-level security lets it see every tenant). */
export async function systemQuery<R extends pg.QueryResultRow = Record<string, unknown>>(
  database: Database,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = await database.pool.connect()
  try {
    await client.query('begin')
    await client.query(`select set_config('app.scope', 'system', true)`)
    const result = await client.query<R>(text, params)
    await client.query('commit')
    return result.rows
  } catch (error) {
    await client.query('rollback')
    throw error
  } finally {
    client.release()
  }
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

/** Creates a tenant through the API and a tenant key for it. */
export async function createTenant(
  ctx: TestApp,
  body: Record<string, unknown> = { name: 'Acme SAS', mode: 'sandbox' },
): Promise<{ tenantId: string; key: string }> {
  const tenant = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: bearer(ctx.platformKey), payload: body })
  if (tenant.statusCode !== 201) throw new Error(`tenant creation failed: ${tenant.body}`)
  const tenantId = tenant.json<{ id: string }>().id
  const key = await ctx.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: { ...bearer(ctx.platformKey), 'relance-tenant': tenantId },
    payload: { name: 'test' },
  })
  if (key.statusCode !== 201) throw new Error(`key creation failed: ${key.body}`)
  return { tenantId, key: key.json<{ secret: string }>().secret }
}

/** Counts the SQL statements `fn` sends through node-postgres (a spy: every query still runs). */
export async function countStatements(fn: () => Promise<unknown>): Promise<number> {
  const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }
  const original = client.query
  let statements = 0
  client.query = function (this: unknown, ...args: unknown[]) {
    statements++
    return original.apply(this, args)
  }
  try {
    await fn()
  } finally {
    client.query = original
  }
  return statements
}
