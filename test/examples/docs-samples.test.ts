/**
 * Every fenced code block of README.md and docs/*.md is checked here, so no sample can rot.
 *
 * | block | what this test does with it |
 * |---|---|
 * | `sh` | run in order, one bash per page (`set -euo pipefail`, curl failing on HTTP errors), against a real server on a fresh database with the provider simulators, a webhook sink and a sandbox tenant (`RELANCE`, `PK`, `KEY`, `TENANT`); `<!-- docs-test: continues other.md -->` runs that page's blocks first |
 * | `sh` after `<!-- not run: why -->` | not run (long-running or needs what CI lacks); each `npm run X` / `npm start` / `npm test` must be a script and each repository path named must exist (this applies to run blocks too) |
 * | `text` after `<!-- output -->` | must equal what the `sh` block before it printed (`…` stands for anything) |
 * | `text` | not checked: formats, trees, sample output of long commands |
 * | `json`, `ndjson` | parsed; with `<!-- schema: Name -->` validated against openapi/openapi.json (`Name` in components/schemas, or `webhooks/<event type>`); with `file: name` written to the shell's directory first |
 * | `ts`, `js` | run with node + tsx in a temporary directory (relative imports resolved from the repository root, or from `<!-- module: path -->`); modules that export functions are called by their page's harness below |
 * | `python` | run with python3 by the page's harness (stdlib only); skipped with a note without python3 |
 * | `php` | run with php by the page's harness; skipped with a note without php |
 * | `sql` | run against the page's database, or after `<!-- not run: why -->` checked by the page's harness |
 * | `ini` | parsed as INI |
 * | anything else | fails the test: add a rule |
 *
 * Also checked: relative links of every page lead to a file, and the generated sections
 * (`npm run docs:tables`) match the code.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import t, { type Test } from 'tap'
import { staleSections } from '../../scripts/docs-tables.js'
import { brokenLinks, commandProblems, continuesFrom, docBlocks, iniProblems, jsonProblems, outputMatches, where, type DocBlock } from './docs-blocks.js'
import { PAGE_HARNESSES } from './docs-harnesses.js'
import { run, runShell, runSql, startWorld, writeSample, type PageRun } from './docs-world.js'

t.setTimeout(Number(process.env.DOCS_TIMEOUT_MS ?? 600_000))

const PAGES = ['README.md', ...(await readdir('docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)]
const markdown = new Map(await Promise.all(PAGES.map(async (f) => [f, await readFile(f, 'utf8')] as const)))
const blocksOf = new Map(PAGES.map((f) => [f, docBlocks(f, markdown.get(f)!)]))
const scripts = (JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts
/** How each block was checked; a block missing here at the end fails the test. */
const checked = new Map<DocBlock, string>()

const notRun = (b: DocBlock) => 'not run' in b.directives
const STATIC = new Set(['text', 'json', 'ndjson', 'ini'])
const RUNNABLE = new Set(['sh', 'ts', 'js', 'python', 'php', 'sql'])

function staticCheck(t: Test, block: DocBlock): Promise<void> | void {
  if (block.lang === 'sh') {
    t.same(commandProblems(block, scripts), [], `${where(block)}: the scripts and paths it names exist`)
    if (notRun(block)) checked.set(block, `checked, not run (${block.directives['not run']})`)
  }
  if (block.lang === 'ini') {
    t.same(iniProblems(block), [], `${where(block)}: INI`)
    checked.set(block, 'parsed as INI')
  }
  if (block.lang === 'json' || block.lang === 'ndjson') {
    return jsonProblems(block).then((problems) => {
      t.same(problems, [], `${where(block)}: ${block.directives.schema ? `valid ${block.directives.schema}` : 'JSON'}`)
      checked.set(block, block.directives.schema ? `validated against ${block.directives.schema}` : 'parsed')
    })
  }
  if (block.lang === 'text' && !('output' in block.directives)) checked.set(block, 'not checked (text)')
}

async function checkPage(t: Test, page: string): Promise<void> {
  const blocks = blocksOf.get(page)!
  for (const block of blocks) {
    if (!STATIC.has(block.lang) && !RUNNABLE.has(block.lang)) t.fail(`${where(block)}: no rule for this language; tag it (text, sh, json…) or add a rule`)
    await staticCheck(t, block)
  }
  const harness = PAGE_HARNESSES[page]
  await harness?.check?.(t, blocks, (block, how) => checked.set(block, how))
  const runnable = blocks.filter((b) => RUNNABLE.has(b.lang) && !notRun(b))
  if (!runnable.length) return

  const world = await startWorld(t)
  for (const b of blocks.filter((b) => b.directives.file)) await writeFile(path.join(world.dir, b.directives.file!), `${b.code}\n`)
  const continued = continuesFrom(markdown.get(page)!)
  const previous = continued && path.join(path.dirname(page), continued)
  const prefix = previous ? blocksOf.get(previous)!.filter((b) => b.lang === 'sh' && !notRun(b)) : []
  if (previous) {
    for (const b of blocksOf.get(previous)!.filter((b) => b.directives.file)) await writeFile(path.join(world.dir, b.directives.file!), `${b.code}\n`)
  }
  const sh = runnable.filter((b) => b.lang === 'sh' && !b.directives['run in'])
  const { outputs, vars } = sh.length || prefix.length ? await runShell(world, sh, prefix) : { outputs: new Map<DocBlock, string>(), vars: {} }
  for (const b of sh) checked.set(b, 'run against a real server')
  // Maintenance commands (npm run migrate…) run where they would: in the repository, on the page's database.
  const inRepository = runnable.filter((b) => b.lang === 'sh' && b.directives['run in'] === 'repository')
  if (inRepository.length) {
    const repo = await runShell({ ...world, dir: process.cwd() }, inRepository, [])
    for (const b of inRepository) {
      outputs.set(b, repo.outputs.get(b) ?? '')
      checked.set(b, "run in the repository on the page's database")
    }
  }
  for (const b of runnable.filter((b) => b.lang === 'sql')) {
    await runSql(world, b.code)
    checked.set(b, "run on the page's database")
  }

  // Expected output: the text block right after a run sh block.
  blocks.forEach((b, i) => {
    if (b.lang !== 'text' || !('output' in b.directives)) return
    const before = blocks.slice(0, i).reverse().find((p) => p.lang === 'sh')
    const actual = before && outputs.get(before)
    if (actual === undefined) return void t.fail(`${where(b)}: an output block must follow a run sh block`)
    t.ok(outputMatches(actual, b.code), `${where(b)}: the output shown is what ${where(before!)} prints`, { actual, expected: b.code })
    checked.set(b, 'compared with the output of the block before')
  })

  const pageRun: PageRun = {
    world,
    markdown: markdown.get(page)!,
    blocks,
    outputs,
    vars,
    done: (block, how) => checked.set(block, how),
    node: async (file, env = {}) =>
      (await run(process.execPath, ['--import', 'tsx', file], { cwd: world.dir, env: { ...world.env, ...env }, timeout: 60_000 })).stdout,
  }
  await harness?.run?.(t, pageRun)

  // ts/js blocks no harness took: run as they are.
  for (const [i, b] of runnable.filter((b) => (b.lang === 'ts' || b.lang === 'js') && !checked.has(b)).entries()) {
    const file = await writeSample(world, b, `sample-${i}`)
    await pageRun.node(file, { RELANCE_URL: world.base, RELANCE_API_KEY: vars.KEY ?? world.key })
    checked.set(b, 'run with node + tsx')
  }
}

t.test('the docs link to files that exist and their generated sections match the code', async (t) => {
  for (const page of PAGES) t.same(brokenLinks(page, markdown.get(page)!, markdown), [], `${page}: relative links and their anchors`)
  const readme = markdown.get('README.md')!
  t.same(PAGES.filter((p) => p !== 'README.md' && !readme.includes(`](${p})`)), [], "every page is in the README's documentation list")
  t.same(await staleSections(), [], 'npm run docs:tables has nothing to change')
  t.ok(PAGES.length >= 18, 'every page is read')
})

for (const page of PAGES) t.test(page, (t) => checkPage(t, page))

t.test('every code block of the docs was checked', async (t) => {
  const all = [...blocksOf.values()].flat()
  const missing = all.filter((b) => !checked.has(b)).map(where)
  t.same(missing, [], 'no block left unchecked')
  const tally = new Map<string, number>()
  for (const how of checked.values()) tally.set(how.replace(/ \(.*\)$/, ''), (tally.get(how.replace(/ \(.*\)$/, '')) ?? 0) + 1)
  t.comment(`${all.length} blocks: ${[...tally].map(([how, n]) => `${n} ${how}`).join(', ')}`)
})

