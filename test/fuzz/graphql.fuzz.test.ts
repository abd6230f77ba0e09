/**
 * Fuzzes /graphql: operations built from the schema with fuzzed arguments, plus malformed, deep
 * (depth > 8), costly (cost > limit), alias-bomb, fragment-cycle and huge-variable requests. Every
 * answer is JSON with errors carrying `extensions.code` from the closed set, never a 5xx nor a masked
 * internal error, and an operation that failed as a whole changes nothing.
 * FUZZ_SEED and FUZZ_RUNS (default 110, × 4 here) as in openapi.fuzz.test.ts.
 */
import type { LightMyRequestResponse } from 'fastify'
import fc from 'fast-check'
import { buildASTSchema, concatAST, parse } from 'graphql'
import t from 'tap'
import { schemaSources } from '../../src/graphql/index.js'
import { ERROR_CODES } from '../../src/shared/errors.js'
import { bearer, buildTestApp } from '../helper.js'
import { HARDENING_ENV, seedWorld, type World } from '../security/seed-world.js'
import { installChangeCounter } from './change-counter.js'
import { abusiveOperation, schemaOperation, type GraphqlRequest } from './graphql-arbitrary.js'
import { problemDefect } from './problem-check.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_301)
const RUNS = Number(process.env.FUZZ_RUNS ?? 110) * 4

interface GraphqlAnswer {
  data?: Record<string, unknown> | null
  errors?: { message?: string; extensions?: { code?: string } }[]
}

function graphqlDefect(res: LightMyRequestResponse): string | null {
  if (res.statusCode >= 500) return `${res.statusCode} answer`
  if (String(res.headers['content-type']).startsWith('application/problem+json')) return problemDefect(res)
  let body: GraphqlAnswer
  try {
    body = res.json()
  } catch {
    return `${res.statusCode} answer that is not JSON`
  }
  if (!body.errors && !body.data) return 'neither data nor errors'
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code
    if (!code || !(code in ERROR_CODES)) return `error without a known extensions.code (${String(code)})`
    if (ERROR_CODES[code as keyof typeof ERROR_CODES].status >= 500) return `masked ${code} error`
  }
  return null
}

/** Nothing at all came back: every root field null or missing. */
function failedAsAWhole(res: LightMyRequestResponse): boolean {
  try {
    const body = res.json<GraphqlAnswer>()
    return Boolean(body.errors?.length) && Object.values(body.data ?? {}).every((value) => value === null)
  } catch {
    return res.statusCode >= 400
  }
}

const idsOf = (world: World) => Object.values(world.ids).filter((id): id is string => typeof id === 'string')

t.setTimeout(Number(process.env.FUZZ_TIMEOUT_MS ?? 600_000))

t.test('GraphQL answers fuzzed, malformed, deep and costly operations with coded errors, never a 5xx', async (t) => {
  const logs: string[] = []
  const ctx = await buildTestApp(t, { ...HARDENING_ENV, LOG_LEVEL: 'error' }, { logStream: { write: (line: string) => void logs.push(line) } })
  const a = await seedWorld(ctx, 'Acme SAS')
  const b = await seedWorld(ctx, 'Other SARL')
  const changedRows = await installChangeCounter(ctx.database)
  const schema = buildASTSchema(concatAST(schemaSources().map((sdl) => parse(sdl))))
  const ids = [...idsOf(a), ...idsOf(b)]
  const operation = fc.oneof({ arbitrary: schemaOperation(schema, ids), weight: 3 }, { arbitrary: abusiveOperation, weight: 2 })
  const transport = fc.constantFrom('post', 'post', 'post', 'get', 'raw')

  const defects = new Map<string, { count: number; example: string; answer: string }>()
  const logOf = (res: LightMyRequestResponse) => {
    const line = logs.find((l) => l.includes(String(res.headers['request-id'])))
    if (!line) return ''
    const { err } = JSON.parse(line) as { err?: { stack?: string; cause?: unknown } }
    return `${JSON.stringify(err?.cause ?? null)} ${err?.stack ?? line}`
  }
  let sent = 0
  let before = await changedRows()
  const started = Date.now()
  await fc.assert(
    fc.asyncProperty(operation, transport, async (op: GraphqlRequest, how) => {
      sent++
      const headers = bearer(a.key)
      const res = how === 'get'
        ? await ctx.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(op.query.slice(0, 4_000))}`, headers })
        : how === 'raw'
          ? await ctx.inject({ method: 'POST', url: '/graphql', headers: { ...headers, 'content-type': 'application/json' }, payload: `{"query": ${JSON.stringify(op.query).slice(0, -3)}` })
          : await ctx.inject({ method: 'POST', url: '/graphql', headers, payload: op as object })
      const after = await changedRows()
      const changed = after - before
      before = after
      const defect = graphqlDefect(res) ?? (failedAsAWhole(res) && changed ? `failed operation yet ${changed} rows changed` : null)
      if (!defect) return
      const known = defects.get(defect)
      if (known) known.count++
      else defects.set(defect, { count: 1, example: `${how} ${op.query.slice(0, 300)} ${JSON.stringify(op.variables ?? null).slice(0, 200)}`, answer: `${res.body.slice(0, 400)}\n  log: ${logOf(res).slice(0, 600)}` })
    }),
    { seed: SEED, numRuns: RUNS },
  )
  t.comment(`${sent} GraphQL requests in ${((Date.now() - started) / 1000).toFixed(1)} s (FUZZ_SEED=${SEED})`)
  for (const [defect, { count, example, answer }] of defects) t.comment(`${defect} ×${count}\n  ${example}\n  → ${answer}`)
  t.same([...defects.keys()], [], 'every error is coded, none is a 5xx, a failed operation changes nothing')

  const deep = await ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(a.key), payload: { query: `{ debtors(first: 1) { edges { node { ${'invoices(first: 1) { edges { node { debtor { '.repeat(3)}id${' } } } }'.repeat(3)} } } } }` } })
  t.match(deep.json(), { errors: [{ extensions: { code: 'validation_failed' } }] }, 'a query deeper than 8 is refused with validation_failed')
  const costly = await ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(a.key), payload: { query: '{ debtors(first: 100) { edges { node { invoices(first: 100) { edges { node { id } } } } } } }' } })
  t.match(costly.json(), { data: null, errors: [{ message: /cost/i, extensions: { code: 'validation_failed' } }] }, 'a query above the cost limit is refused before it runs')
})
