/**
 * The kill -9 run (scripts/chaos/kill9-run.ts) at test size: a worker doing evaluation and
 * dispatch is SIGKILLed at seeded random moments in both phases and restarted each time; at the
 * end the providers' own counters (SMTP server, AR24 and print-mail simulators in a process of
 * their own) and the database must agree that every due step was sent once. The full-size run is
 * `npm run chaos -- kill9` (docs/reliability.md).
 */
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { runKill9 } from '../../scripts/chaos/kill9-run.js'
import { buildTestApp, systemQuery } from '../helper.js'

t.setTimeout(Number(process.env.CHAOS_TIMEOUT_MS ?? 240_000))

const KILLS = Number(process.env.CHAOS_KILLS ?? 8)

t.test('kill -9 of the worker during evaluation and dispatch: every due step reaches its provider once, nothing is lost', async (t) => {
  const secretKey = randomBytes(32).toString('hex')
  const ctx = await buildTestApp(t, { RELANCE_SECRET_KEY: secretKey, RELANCE_RATE_LIMIT_PER_MINUTE: '1000000' })
  const report = await runKill9({
    databaseUrl: ctx.url,
    inject: (o) => ctx.inject(o),
    platformKey: ctx.platformKey,
    secretKey,
    query: <R,>(text: string) => systemQuery(ctx.database, text) as Promise<R[]>,
    size: { tenants: 2, debtorsPerTenant: 24, invoicesPerDebtor: 4 },
    kills: KILLS,
    seed: Number(process.env.CHAOS_SEED ?? 7),
    log: (line) => t.comment(line),
  })
  const { providers } = report
  t.comment(`${report.kills.length} kills (${JSON.stringify(report.killsByPhase)}), ${report.dispatches} dispatches, received ${JSON.stringify(providers)}, ${report.lettersWithoutCopy} letters without their kept copy, ${report.seconds.total.toFixed(0)} s`)

  t.equal(report.kills.length, KILLS, `the worker was killed ${KILLS} times and restarted each time`)
  t.ok((report.killsByPhase.evaluate ?? 0) >= 2 && (report.killsByPhase.dispatch ?? 0) >= 2, 'kills landed in evaluation and in dispatch')
  t.same(report.problems, [], 'providers and database agree: each step once, every debtor through the ladder, events once')
  t.same(
    [providers.ar24.duplicates, providers.printMail.duplicates, report.missing],
    [0, 0, 0],
    'no registered letter sent twice (each resumed send was looked up at the provider), nothing missing',
  )
  t.equal(providers.smtp.received - providers.smtp.duplicates, report.byChannel.email, 'every email reached the SMTP server')
  t.equal(providers.ar24.received, report.byChannel.registered_email, 'AR24 has one LRE per formal notice to a business')
  t.equal(providers.printMail.received, (report.byChannel.letter ?? 0) + (report.byChannel.registered_letter ?? 0), 'print-mail has one sending per letter')
})
