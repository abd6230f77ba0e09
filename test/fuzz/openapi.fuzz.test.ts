/**
 * Fuzzes every operation of openapi/openapi.json with inputs derived from its own schemas: wrong
 * types, missing and unknown fields, huge and odd strings, edge numbers, bad dates, deep JSON,
 * unknown ids and another tenant's ids. Every answer must keep the API's promises: no 5xx, every
 * 4xx a problem+json with a known code (and a field path for validation errors), and a rejected
 * request leaves the database exactly as it was.
 *
 * FUZZ_SEED=<n> replays another sequence; FUZZ_RUNS=<n> sets the inputs per operation (default 110,
 * about 10,500 requests in all).
 */
import { readFile } from 'node:fs/promises'
import type { LightMyRequestResponse } from 'fastify'
import fc from 'fast-check'
import t from 'tap'
import { bearer, buildTestApp } from '../helper.js'
import { HARDENING_ENV, seedWorld, type World } from '../security/seed-world.js'
import { installChangeCounter } from './change-counter.js'
import { operationsOf, requestArbitrary, resolverOf, type FuzzRequest, type OpenApiDocument } from './openapi-requests.js'
import { problemDefect } from './problem-check.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_301)
const RUNS = Number(process.env.FUZZ_RUNS ?? 110)

const idsOf = (world: World) => Object.values(world.ids).filter((id): id is string => typeof id === 'string')

function shorten(value: unknown, max = 300): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text
}

function logLine(line: string): string {
  const { err } = JSON.parse(line) as { err?: { stack?: string; cause?: unknown } }
  return `${JSON.stringify(err?.cause ?? null)} ${err?.stack ?? line}`
}

// Several thousand requests: well past tap's default per-file timeout on a loaded machine.
t.setTimeout(Number(process.env.FUZZ_TIMEOUT_MS ?? 600_000))

t.test('every OpenAPI operation answers fuzzed input with a problem, never a 5xx, and rejected input changes nothing', async (t) => {
  const logs: string[] = []
  const ctx = await buildTestApp(t, { ...HARDENING_ENV, LOG_LEVEL: 'error' }, { logStream: { write: (line: string) => void logs.push(line) } })
  const a = await seedWorld(ctx, 'Acme SAS')
  const b = await seedWorld(ctx, 'Other SARL')
  // The JWKS route creates the first signing key on demand, a write behind a GET: make it before counting.
  await ctx.inject({ method: 'GET', url: '/.well-known/jwks.json' })
  const changedRows = await installChangeCounter(ctx.database)
  const doc = JSON.parse(await readFile('openapi/openapi.json', 'utf8')) as OpenApiDocument
  const fuzz = { resolve: resolverOf(doc), ids: [...idsOf(a), ...idsOf(b), a.tenantId, b.tenantId] }
  const auth = fc.oneof(
    { arbitrary: fc.constant(bearer(a.key)), weight: 20 },
    { arbitrary: fc.constant(bearer(ctx.platformKey)), weight: 1 },
    { arbitrary: fc.constantFrom(a.tenantId, b.tenantId, 'ten_nope').map((id) => ({ ...bearer(ctx.platformKey), 'relance-tenant': id })), weight: 1 },
    { arbitrary: fc.constantFrom({}, { authorization: `Bearer rl_live_${'x'.repeat(30)}` }, { authorization: 'Basic eDp5' }, { ...bearer(b.key), 'relance-tenant': a.tenantId }), weight: 1 },
  )

  const defects = new Map<string, { count: number; request: string; answer: string; log?: string }>()
  const record = (signature: string, request: FuzzRequest, res: LightMyRequestResponse) => {
    const known = defects.get(signature)
    if (known) return void known.count++
    const requestId = String(res.headers['request-id'] ?? '')
    const log = requestId ? logs.find((line) => line.includes(requestId)) : undefined
    defects.set(signature, {
      count: 1,
      request: shorten({ method: request.method, url: request.url, headers: request.headers, payload: request.payload?.toString() }),
      answer: shorten(res.body),
      ...(log ? { log: shorten(logLine(log), 700) } : {}),
    })
  }

  // An accepted import job runs on after its 202: let it finish so its rows are not counted against the next request.
  const importSettled = async (request: FuzzRequest, res: LightMyRequestResponse) => {
    if (res.statusCode !== 202) return
    const { id } = res.json<{ id: string }>()
    const { authorization, 'relance-tenant': tenant } = request.headers as Record<string, string>
    for (let i = 0; i < 200; i++) {
      const job = await ctx.inject({ method: 'GET', url: `/v1/imports/${id}`, headers: { authorization, ...(tenant ? { 'relance-tenant': tenant } : {}) } })
      if (['succeeded', 'failed'].includes(job.json<{ status: string }>().status)) return
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }

  let sent = 0
  let before = await changedRows()
  const started = Date.now()
  const operations = operationsOf(doc)
  for (const [index, op] of operations.entries()) {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(op, fuzz, auth), async (request) => {
        sent++
        const res = await ctx.inject(request)
        await importSettled(request, res)
        // Reads never write (the isolation suite checks it): the counter is read after writes only.
        const after = op.method === 'GET' ? before : await changedRows()
        const changed = after - before
        before = after
        const defect = problemDefect(res) ?? (res.statusCode >= 400 && changed ? `${res.statusCode} ${res.json().code} yet ${changed} rows changed` : null)
        if (defect) record(`${op.method} ${op.path}: ${defect}`, request, res)
      }),
      { seed: SEED + index, numRuns: RUNS },
    )
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  t.comment(`${sent} requests over ${operations.length} operations in ${seconds} s (FUZZ_SEED=${SEED}, FUZZ_RUNS=${RUNS})`)
  for (const [signature, defect] of defects) t.comment(`${signature} ×${defect.count}\n  request: ${defect.request}\n  answer: ${defect.answer}${defect.log ? `\n  log: ${defect.log}` : ''}`)
  t.equal(operations.length, Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0), 'every operation was fuzzed')
  t.ok(sent >= operations.length * RUNS, `${sent} inputs sent`)
  t.same([...defects.keys()], [], 'no 5xx, no answer outside the problem+json contract, no change by a rejected request')
})
