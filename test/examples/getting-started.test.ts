import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { buildTestApp } from '../helper.js'

const run = promisify(execFile)
const SKIP = '<!-- not run by the docs test -->'

/** The fenced blocks of one language, in order, except those right after the SKIP comment. */
function fencedBlocks(markdown: string, language: string): string[] {
  const blocks: string[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```' + language) continue
    const end = lines.indexOf('```', i + 1)
    const previous = lines.slice(0, i).reverse().find((l) => l.trim() !== '')
    if (previous?.trim() !== SKIP) blocks.push(lines.slice(i + 1, end).join('\n'))
    i = end
  }
  return blocks
}

t.test('every sh and ts sample of docs/getting-started.md runs against a real server', async (t) => {
  const markdown = await readFile('docs/getting-started.md', 'utf8')
  const sh = fencedBlocks(markdown, 'sh')
  const ts = fencedBlocks(markdown, 'ts')
  t.ok(sh.length >= 5 && ts.length >= 1, 'the page has its samples')

  const ctx = await buildTestApp(t, { RELANCE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' })
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`
  // Any HTTP error fails the script (the samples use plain `curl -s`); KEY is printed for the ts sample.
  const script = ['set -euo pipefail', 'curl() { command curl --fail-with-body -sS "$@"; }', ...sh, 'echo "KEY=$KEY"'].join('\n')
  const env = { ...process.env, RELANCE: base, PK: ctx.platformKey, ERP_WEBHOOK_URL: 'http://127.0.0.1:9/relance' }
  const shell = await run('bash', ['-c', script], { env, timeout: 60_000 })
  t.match(shell.stdout, /^tenant ten_\w+, key rl_test_/m, 'step 1: a tenant and its key')
  t.match(shell.stdout, /\{"created":2,"rejected":0\}\n\{"created":3,"rejected":0\}/, 'step 2: debtors and invoices in bulk')
  t.match(shell.stdout, /^webhook secret whsec_/m, 'step 3: a webhook endpoint')
  t.match(shell.stdout, /^F-2026-0001 paid 0$/m, 'step 4: the payment paid the oldest invoice')
  t.match(shell.stdout, /^F-2026-0002 disputed 54000$/m, 'and the dispute holds the other')
  t.match(shell.stdout, /^first_reminder email (sent|delivered)$/m, 'step 5: the test clock played the scenario')

  const key = /^KEY=(\S+)$/m.exec(shell.stdout)![1]!
  const dir = await mkdtemp(path.join(tmpdir(), 'relance-docs-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  for (const [i, block] of ts.entries()) {
    const file = path.join(dir, `sample-${i}.mts`)
    await writeFile(file, block.replaceAll("'./clients/", `'${path.resolve('clients')}/`))
    const node = await run(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, RELANCE_URL: base, RELANCE_API_KEY: key }, timeout: 60_000 })
    t.match(node.stdout, /^F-2026-0003 8990 EUR$/m, 'step 6: the typed client lists what is owed')
    t.match(node.stdout, /^404 not_found$/m, 'and turns a problem+json into a RelanceError')
  }
})
