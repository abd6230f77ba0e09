/**
 * `npm run chaos -- kill9 [--debtors N] [--tenants N] [--invoices N] [--kills N] [--seed N]`:
 * the kill -9 run (kill9-run.ts) on its own embedded PostgreSQL, at full size by default
 * (600 debtors, 3,000 invoices, 24 kills). Prints each kill, then the figures as one JSON line;
 * exits 1 if anything was sent twice, never sent, or is otherwise wrong.
 */
import { randomBytes } from 'node:crypto'
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { buildApp } from '../../src/app.js'
import { loadEnv } from '../../src/config/env.js'
import { openDatabase, withSystem, type Database } from '../../src/db/client.js'
import { ensureBootstrapKey } from '../../src/modules/api-keys/api-keys.service.js'
import { withBenchDatabase } from '../bench/harness.js'
import { runKill9 } from './kill9-run.js'

async function systemRows<R>(database: Database, text: string): Promise<R[]> {
  const client = await database.pool.connect()
  try {
    await client.query('begin')
    await client.query(`select set_config('app.scope', 'system', true)`)
    const result = await client.query(text)
    await client.query('commit')
    return result.rows as R[]
  } finally {
    client.release()
  }
}

export async function run(args: string[]): Promise<{ ok: boolean; report: Record<string, unknown> }> {
  const { values } = parseArgs({
    args,
    options: {
      tenants: { type: 'string', default: '3' },
      debtors: { type: 'string', default: '600' },
      invoices: { type: 'string', default: '5' },
      kills: { type: 'string', default: '24' },
      seed: { type: 'string', default: '1' },
    },
  })
  const tenants = Number(values.tenants)
  const size = { tenants, debtorsPerTenant: Math.ceil(Number(values.debtors) / tenants), invoicesPerDebtor: Number(values.invoices) }
  const secretKey = randomBytes(32).toString('hex')
  const say = (line: string) => process.stdout.write(`${line}\n`)
  return withBenchDatabase(async ({ appUrl }) => {
    const database = openDatabase(appUrl, 4)
    const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RELANCE_SECRET_KEY: secretKey, RELANCE_RATE_LIMIT_PER_MINUTE: '1000000' })
    const app = await buildApp({ env, database })
    try {
      const platformKey = (await withSystem(database.db, (tx) => ensureBootstrapKey(tx)))!
      const load = loadavg()[0]!
      const report = await runKill9({
        databaseUrl: appUrl,
        inject: (o) => app.inject(o),
        platformKey,
        secretKey,
        query: (text) => systemRows(database, text),
        size,
        kills: Number(values.kills),
        seed: Number(values.seed),
        log: say,
      })
      for (const problem of report.problems) say(`PROBLEM ${problem}`)
      say(`${report.kills.length} kills (${Object.entries(report.killsByPhase).map(([p, n]) => `${n} in ${p}`).join(', ')}), ${report.debtors} debtors, ${report.invoices} invoices, ${report.dispatches} dispatches; ` +
        `received: ${Object.entries(report.providers).map(([p, c]) => `${p} ${c.received}`).join(', ')}; duplicates ${report.duplicates}, missing ${report.missing}, letters without their kept copy ${report.lettersWithoutCopy}; ` +
        `${report.seconds.run.toFixed(0)} s of run, ${report.seconds.total.toFixed(0)} s in all`)
      return { ok: report.problems.length === 0, report: { chaos: 'kill9', ...report, load_average: [load, loadavg()[0]].map((n) => Math.round(n! * 10) / 10), cpus: cpus().length } }
    } finally {
      await app.close()
      await database.close()
    }
  })
}
