/**
 * What a page's samples must print, and how the samples that are functions (webhook verification,
 * a plug-in driver, a module) are called. Pages without an entry get the generic run only.
 */
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import type { FastifyBaseLogger } from 'fastify'
import { envSchema, loadEnv } from '../../src/config/env.js'
import type { Database } from '../../src/db/client.js'
import { loadPluginDriver } from '../../src/modules/channels/registry.js'
import { workerJobs } from '../../src/platform/worker.js'
import { bearer, systemQuery } from '../helper.js'
import type { DocBlock } from './docs-blocks.js'
import { deliverWebhooks, writeSample, type PageRun } from './docs-world.js'

export interface PageHarness {
  /** Checks that need no server (blocks that are not run). */
  check?(t: Test, blocks: DocBlock[], done: (block: DocBlock, how: string) => void): Promise<void>
  /** Runs after the page's shell blocks, on the page's server. */
  run?(t: Test, page: PageRun): Promise<void>
}

const exec = promisify(execFile)
const joined = (page: PageRun) => page.blocks.filter((b) => b.lang === 'sh').map((b) => page.outputs.get(b) ?? '').join('\n')
const only = (page: PageRun, lang: string): DocBlock[] => page.blocks.filter((b) => b.lang === lang)
const named = (page: PageRun, lang: string, text: string): DocBlock => {
  const block = only(page, lang).find((b) => b.code.includes(text))
  if (!block) throw new Error(`no ${lang} block with ${text}`)
  return block
}

async function hasCommand(name: string): Promise<boolean> {
  return exec(name, ['--version']).then(
    () => true,
    () => false,
  )
}

const plainHeaders = (h: IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]))

/** A real delivery of the page's endpoint and the same with one byte changed. */
async function deliveries(t: Test, page: PageRun) {
  await deliverWebhooks(page.world)
  const got = page.world.received.find((r) => (JSON.parse(r.body) as { type: string }).type === 'webhook_endpoint.tested')
  if (!got) throw new Error('the endpoint of the sample received no webhook_endpoint.tested')
  t.ok(page.vars.WEBHOOK_SECRET?.startsWith('whsec_'), 'the sample kept the endpoint secret')
  const delivery = { secret: page.vars.WEBHOOK_SECRET!, headers: plainHeaders(got.headers), body: got.body }
  return { delivery, tampered: { ...delivery, body: delivery.body.replace('"webhook_endpoint.tested"', '"webhook_endpoint.testeD"') } }
}

const VERIFIED = /^delivery verified webhook_endpoint\.tested$/m
const REFUSED = /^tampered refused/m

export const PAGE_HARNESSES: Record<string, PageHarness> = {
  'docs/getting-started.md': {
    async run(t, page) {
      const out = joined(page)
      t.match(out, /^tenant ten_\w+, key rl_test_/m, 'step 1: a tenant and its key')
      t.match(out, /\{"created":2,"rejected":0\}\n\{"created":3,"rejected":0\}/, 'step 2: debtors and invoices in bulk')
      t.match(out, /^webhook secret whsec_/m, 'step 3: a webhook endpoint')
      t.match(out, /^F-2026-0001 paid 0$/m, 'step 4: the payment paid the oldest invoice')
      t.match(out, /^F-2026-0002 disputed 54000$/m, 'and the dispute holds the other')
      t.match(out, /^first_reminder email (sent|delivered)$/m, 'step 5: the test clock played the scenario')
      for (const [i, block] of only(page, 'ts').entries()) {
        const file = await writeSample(page.world, block, `getting-started-${i}`)
        const printed = await page.node(file, { RELANCE_URL: page.world.base, RELANCE_API_KEY: page.vars.KEY! })
        t.match(printed, /^F-2026-0003 8990 EUR$/m, 'step 6: the typed client lists what is owed')
        t.match(printed, /^404 not_found$/m, 'and turns a problem+json into a RelanceError')
        page.done(block, 'run with node + tsx, output checked')
      }
    },
  },

  'docs/webhooks.md': {
    async run(t, page) {
      const { delivery, tampered } = await deliveries(t, page)
      const input = path.join(page.world.dir, 'deliveries.json')
      await writeFile(input, JSON.stringify({ delivery, tampered }))

      const hmac = named(page, 'js', 'standardwebhooks')
      const jws = named(page, 'js', 'compactVerify')
      await writeSample(page.world, hmac, 'verify-hmac')
      await writeSample(page.world, jws, 'verify-jws')
      const harness = path.join(page.world.dir, 'verify-harness.mjs')
      await writeFile(
        harness,
        `import { readFileSync } from 'node:fs'
import { verifyRelance } from './verify-hmac.mjs'
import { verifyRelanceJws } from './verify-jws.mjs'
const all = JSON.parse(readFileSync(process.argv[2], 'utf8'))
for (const name of ['delivery', 'tampered']) {
  const { headers, body } = all[name]
  try { console.log(name, 'verified', verifyRelance(body, headers).type) } catch (e) { console.log(name, 'refused', e.message) }
  try { await verifyRelanceJws(body, headers); console.log(name, 'jws verified') } catch (e) { console.log(name, 'jws refused', e.code ?? e.message) }
}
`,
      )
      const printed = (await execFileIn(page, process.execPath, [harness, input], { RELANCE_WEBHOOK_SECRET: delivery.secret, RELANCE_URL: page.world.base })).stdout
      t.match(printed, VERIFIED, 'Node: standardwebhooks verifies a real delivery')
      t.match(printed, REFUSED, 'and refuses it with one byte changed')
      t.match(printed, /^delivery jws verified$/m, 'jose: the JWS verifies against /.well-known/jwks.json')
      t.match(printed, /^tampered jws refused/m, 'and fails on the changed byte')
      page.done(hmac, 'run with node against a real delivery')
      page.done(jws, 'run with node against a real delivery and the JWKS')

      const python = named(page, 'python', 'def verify_relance')
      if (await hasCommand('python3')) {
        const file = path.join(page.world.dir, 'verify.py')
        await writeFile(
          file,
          `${python.code}

import json as _json, sys as _sys
_all = _json.load(open(_sys.argv[1]))
for _name in ("delivery", "tampered"):
    _d = _all[_name]
    try:
        print(_name, "verified", verify_relance(_d["secret"], _d["headers"], _d["body"].encode())["type"])
    except ValueError as _e:
        print(_name, "refused", _e)
`,
        )
        const out = (await execFileIn(page, 'python3', [file, input])).stdout
        t.match(out, VERIFIED, 'Python: verifies a real delivery')
        t.match(out, REFUSED, 'and refuses it with one byte changed')
        page.done(python, 'run with python3 against a real delivery')
      } else {
        t.comment('python3 is not installed: the Python sample was not run')
        page.done(python, 'skipped (python3 not installed)')
      }

      const php = named(page, 'php', 'function relance_verify')
      if (await hasCommand('php')) {
        const file = path.join(page.world.dir, 'verify.php')
        await writeFile(
          file,
          `${php.code}

$all = json_decode(file_get_contents($argv[1]), true);
foreach (['delivery', 'tampered'] as $name) {
  $d = $all[$name];
  try { $e = relance_verify($d['secret'], $d['headers'], $d['body']); echo "$name verified {$e['type']}\\n"; }
  catch (RuntimeException $err) { echo "$name refused {$err->getMessage()}\\n"; }
}
`,
        )
        const out = (await execFileIn(page, 'php', [file, input])).stdout
        t.match(out, VERIFIED, 'PHP: verifies a real delivery')
        t.match(out, REFUSED, 'and refuses it with one byte changed')
        page.done(php, 'run with php against a real delivery')
      } else {
        t.comment('php is not installed: the PHP sample was not run (.ci/run installs php-cli when it can)')
        page.done(php, 'skipped (php not installed)')
      }
    },
  },

  'docs/dispatch.md': {
    async run(t, page) {
      const block = page.blocks.find((b) => b.directives.file === 'acme-fax.js')!
      const received: { headers: IncomingHttpHeaders; body: Buffer }[] = []
      let down = false
      const fax = createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks) })
          if (down) res.writeHead(503).end()
          else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `fax-${received.length}` }))
        })
      })
      await new Promise<void>((resolve) => fax.listen(0, '127.0.0.1', resolve))
      t.teardown(() => new Promise((resolve) => fax.close(resolve)))
      const driver = await loadPluginDriver(path.join(page.world.dir, 'acme-fax.js'))
      t.equal(driver.name, 'acme-fax', 'RELANCE_CHANNEL_DRIVERS accepts the sample as a ChannelDriver')
      const conn = {
        connectionId: 'chc_sample', tenantId: page.world.tenantId, driver: 'acme-fax', mode: 'sandbox' as const,
        credentials: { token: 'fax-token' }, settings: { url: `http://127.0.0.1:${(fax.address() as AddressInfo).port}/send` }, sender: { name: 'Atelier Dupont SAS' },
      }
      const letterPdf = Buffer.from('%PDF-1.7 a letter')
      const message = {
        dispatchId: 'dsp_sample', tenantId: page.world.tenantId, channel: 'letter' as const, subject: 'Relance',
        recipient: { name: 'Dupont SARL', kind: 'business' as const, language: 'fr' }, letterPdf, attachments: [],
      }
      t.match(await driver.send(conn, message), { providerRef: 'fax-1', status: 'sent', rawStatus: 'queued' }, 'send answers what the dispatch loop records')
      t.match(received[0]?.headers, { authorization: 'Bearer fax-token', 'x-reference': 'dsp_sample' }, 'with the credentials and our dispatch id')
      t.same(received[0]?.body, letterPdf, 'the letter PDF is what the gateway gets')
      down = true
      await t.rejects(driver.send(conn, message), { name: 'DriverError', kind: 'transient' }, 'a 5xx is a transient error: the dispatch loop retries')
      page.done(block, 'loaded as a plug-in driver, send called against an HTTP server')
    },
  },

  'docs/evidence.md': {
    async run(t, page) {
      const block = only(page, 'sh').at(-1)!
      const [files, hash, recorded, snapshotHash, snapshotRecorded] = (page.outputs.get(block) ?? '').trim().split('\n')
      t.equal(files, 'every file matches the manifest', 'sha256sum checks every file of the dossier')
      t.match(hash, /^[0-9a-f]{64}$/, 'an audit entry hash')
      t.equal(hash, recorded, "the entry's canonical lines hash to its recorded hash")
      t.equal(snapshotHash, snapshotRecorded, 'its snapshot hashes to its snapshot_sha256')
    },
  },

  'docs/scaling.md': {
    async run(t, page) {
      const { ctx, tenantId, key } = page.world
      const debtor = await ctx.inject({ method: 'POST', url: '/v1/debtors', headers: bearer(key), payload: { kind: 'business', name: 'Dupont SARL', country: 'FR' } })
      await ctx.inject({
        method: 'POST', url: '/v1/invoices', headers: bearer(key),
        payload: { debtor_id: debtor.json().id, number: 'F-1', currency: 'EUR', amount_total: 50000, issue_date: '2026-01-01', due_date: '2026-01-31' },
      })
      const block = only(page, 'ts')[0]!
      await writeSample(page.world, block, 'aging-on-replica')
      const harness = path.join(page.world.dir, 'aging-harness.mts')
      await writeFile(
        harness,
        `import { openDatabase } from '${path.resolve('src/db/client.js')}'
import { agingOnReplica } from './aging-on-replica.mts'
const database = openDatabase(process.env.DATABASE_URL!, 1)
console.log(JSON.stringify(await agingOnReplica(database, '${tenantId}', '2026-03-15')))
await database.close()
`,
      )
      const rows = JSON.parse(await page.node(harness)) as { currency: string; days_31_60?: unknown }[]
      t.match(rows, [{ currency: 'EUR' }], 'the module reads the aged balance through withTenantRead')
      t.match(JSON.stringify(rows), /50000/, "with the tenant's invoice in it")
      page.done(block, 'run with node + tsx against the database')

      const citus = only(page, 'sql').find((b) => b.code.includes('create_distributed_table'))!
      const named = new Set([...citus.code.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!))
      const tables = await systemQuery<{ table_name: string; tenant: boolean }>(
        ctx.database,
        `select t.table_name, exists (select 1 from information_schema.columns c where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'tenant_id') as tenant
         from information_schema.tables t where t.table_schema = 'public' and t.table_type = 'BASE TABLE' and t.table_name not like 'agenda%'`,
      )
      const missing = tables.filter((r) => !named.has(r.table_name)).map((r) => r.table_name)
      const unknown = [...named].filter((n) => n !== 'tenant_id' && !tables.some((r) => r.table_name === n))
      t.same(missing, [], 'every table of the schema (but Agenda’s) is distributed or a reference table')
      t.same(unknown, [], 'and every table named exists')
      page.done(citus, 'not run (needs Citus); its table list checked against the migrated schema')
    },
  },

  'docs/operations.md': {
    async run(t, page) {
      const rows = tableAfter(page.markdown, '| variable | default | meaning |')
      t.same(rows.map((r) => unquote(r[0]!)).sort(), Object.keys(envSchema.shape).sort(), 'the configuration table lists every variable of src/config/env.ts')
      const defaults = loadEnv({}) as Record<string, unknown>
      for (const [name, cell] of rows) {
        const expected = defaults[unquote(name!)] === undefined ? '—' : String(defaults[unquote(name!)])
        t.equal(unquote(cell!), expected, `${name}: default`)
      }
      const jobs = tableAfter(page.markdown, '| job | every | does |').map(([name, every]) => [unquote(name!), Number(/^\d+/.exec(every!)?.[0])])
      const quiet = { info() {}, warn() {}, error() {}, debug() {} } as unknown as FastifyBaseLogger
      const real = workerJobs(loadEnv({}), {} as Database, quiet).map((j) => [j.name, j.everySeconds])
      t.same(jobs, real, 'the jobs table is the worker role’s recurring jobs, with their periods')

      const out = joined(page)
      t.match(out, /^401$/m, 'the revoked tenant key is refused at once')
      const active = await systemQuery(page.world.ctx.database, `select 1 from platform_keys where name = 'bootstrap' and revoked_at is null`)
      t.equal(active.length, 0, 'the SQL sample revoked the generated platform key')
      await new Promise((resolve) => setTimeout(resolve, 5_100))
      const refused = await page.world.ctx.inject({ method: 'GET', url: '/v1/tenants', headers: bearer(page.world.ctx.platformKey) })
      t.equal(refused.statusCode, 401, 'and the server refuses it once its 5 s cache has passed')
    },
  },

  'docs/benchmarks.md': {
    async check(t, blocks, done) {
      const index = await readFile('scripts/bench/index.ts', 'utf8')
      const benches = new Set([...index.matchAll(/^\s+(\w+): \(\) => import/gm)].map((m) => m[1]))
      // The workers bench compares 1, 2 and 4 processes (its `curve`) instead of a baseline.
      const noBaseline = new Set(['workers'])
      for (const block of blocks.filter((b) => b.lang === 'json')) {
        const result = JSON.parse(block.code) as Record<string, unknown>
        const fields = ['bench', 'metric', 'unit', 'value', ...(noBaseline.has(String(result.bench)) ? ['curve'] : ['baseline', 'baseline_value', 'ratio'])]
        t.ok(benches.has(String(result.bench)), `${result.bench} is a benchmark of npm run bench`)
        t.same(fields.filter((k) => !(k in result)), [], `${result.bench}: the result line has the fields of CONVENTIONS.md`)
        done(block, 'parsed, a bench result line with its fields')
      }
    },
  },
}

/** The rows of the Markdown table that follows `heading`, as cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const from = markdown.indexOf(heading)
  if (from < 0) throw new Error(`no ${heading}`)
  const lines = markdown.slice(from).split('\n')
  const start = lines.findIndex((l) => l.startsWith('|'))
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'))
  return lines.slice(start + 2, end).map((l) => l.split(' | ').map((c) => c.replace(/^\|\s*|\s*\|$/g, '').trim()))
}

const unquote = (cell: string) => cell.replace(/^`|`$/g, '')

/** A command in the page's directory with the page's environment. */
function execFileIn(page: PageRun, command: string, args: string[], env: Record<string, string> = {}) {
  return exec(command, args, { cwd: page.world.dir, env: { ...page.world.env, ...env }, timeout: 60_000 })
}
