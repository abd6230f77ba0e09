/**
 * Tenant isolation, generated from the live route table (the OpenAPI document the app builds from
 * its routes) and the GraphQL schema: tenant A owns one object of every kind; tenant B's key gets
 * 404 on each of them through every route, sees none in any list, and cannot name them in bodies.
 * A route the matrix cannot exercise fails the test, so a new route is covered on purpose.
 */
import type { LightMyRequestResponse } from 'fastify'
import { buildASTSchema, concatAST, getNamedType, isNonNullType, isObjectType, parse, type GraphQLField } from 'graphql'
import t from 'tap'
import { schemaSources } from '../../src/graphql/index.js'
import { installChangeCounter } from '../fuzz/change-counter.js'
import { operationsOf, resolverOf, type OpenApiDocument } from '../fuzz/openapi-requests.js'
import { bearer, buildTestApp } from '../helper.js'
import { CREATES_WITHOUT_REFERENCES, KIND_OF_COLLECTION, minimalBody, pathIdsOf, PLATFORM_ROUTES, PUBLIC_ROUTES, REFERENCE_CASES } from './isolation-matrix.js'
import { HARDENING_ENV, seedWorld, type SeededIds } from './seed-world.js'

const FILTER_KINDS: Record<string, keyof SeededIds> = { debtor_id: 'debtor', invoice_id: 'invoice', scenario_id: 'scenario', event_id: 'event', object_id: 'invoice' }
/** Required GraphQL arguments that must hold a valid value for the call to reach its lookup. */
const ARG_LITERALS: Record<string, string> = { frozenTime: '"2026-07-01T00:00:00Z"', reason: '"refunded"' }
/** Input objects with required fields, so the call gets past validation to its lookup. */
const TYPE_LITERALS: Record<string, string> = { CompleteTaskInput: '{ outcome: reached }' }
const GRAPHQL_KINDS: Record<string, keyof SeededIds> = {
  Debtor: 'debtor', Invoice: 'invoice', Hold: 'hold', PaymentPlan: 'plan', Payment: 'payment', CreditNote: 'creditNote',
  Scenario: 'scenario', TestClock: 'clock', WebhookEndpoint: 'endpoint', WebhookSecret: 'endpoint',
  Dispatch: 'dispatch', Task: 'task',
}

t.test("tenant B can neither read, list, change nor reference tenant A's objects", async (t) => {
  const ctx = await buildTestApp(t, HARDENING_ENV)
  const A = await seedWorld(ctx, 'Acme SAS')
  const B = await seedWorld(ctx, 'Other SARL')
  const a = A.ids
  const aIds = [...Object.values(a).filter((v): v is string => typeof v === 'string' && /^[a-z]+_/.test(v)), a.debtorRef]
  const leaked = (res: LightMyRequestResponse) => aIds.filter((id) => res.body.includes(id))
  const changedRows = await installChangeCounter(ctx.database)
  const asB = (method: string, url: string, payload?: unknown, contentType?: string) =>
    ctx.inject({ method: method as 'GET', url, headers: { ...bearer(B.key), ...(contentType ? { 'content-type': contentType } : {}) }, ...(payload === undefined ? {} : { payload: payload as string }) })

  const doc = ctx.app.swagger() as unknown as OpenApiDocument
  const resolve = resolverOf(doc)
  const unknown: string[] = []
  const failures: string[] = []
  let exercised = 0
  for (const op of operationsOf(doc)) {
    const route = `${op.method} ${op.path}`
    if (PUBLIC_ROUTES.has(route)) continue
    const before = await changedRows()
    if (PLATFORM_ROUTES.has(route)) {
      const res = await asB(op.method, op.path, op.body ? minimalBody(op.body, resolve) : undefined)
      if (res.statusCode !== 403) failures.push(`${route}: B's tenant key got ${res.statusCode}, not 403`)
    } else if (op.path.includes('{')) {
      const params = pathIdsOf(route)
      if (typeof params === 'string') { unknown.push(params); continue }
      const url = params.reduce((path, { name, kind }) =>
        path.replace(`{${name}}`, kind === 'version' ? '1' : kind === 'tenant' ? A.tenantId : String(a[kind] ?? 'prf_0000000000000000000000000')), op.path)
      if (op.method === 'GET' && !(url.includes('/proofs/') && !a.proof)) {
        const own = await ctx.inject({ method: 'GET', url, headers: bearer(A.key) })
        if (own.statusCode !== 200) failures.push(`${route}: A cannot read its own object (${own.statusCode}), the check below would prove nothing`)
      }
      const body = op.method === 'PUT' ? Buffer.from('%PDF-1.4\n%%EOF') : op.body ? JSON.stringify(minimalBody(op.body, resolve)) : undefined
      const res = await asB(op.method, url, body, op.method === 'PUT' ? 'application/pdf' : body ? 'application/json' : undefined)
      if (res.statusCode !== 404 || res.json().code !== 'not_found') failures.push(`${route}: B got ${res.statusCode} ${res.body.slice(0, 200)}`)
      if (leaked(res).some((id) => !url.includes(id))) failures.push(`${route}: B's answer shows A's ids ${leaked(res).join(', ')}`)
    } else if (route === 'GET /v1/law/penalties') {
      // Not a list: it computes on one invoice named in the query, which must be B's own.
      const res = await asB('GET', `/v1/law/penalties?invoice_id=${a.invoice}`)
      if (res.statusCode !== 404 || leaked(res).some((id) => id !== a.invoice)) failures.push(`${route}: B got ${res.statusCode} for A's invoice`)
    } else if (op.method === 'GET') {
      const res = await asB('GET', op.path)
      if (res.statusCode !== 200 || leaked(res).length) failures.push(`${route}: B's list answered ${res.statusCode} with A's ids [${leaked(res).join(', ')}]`)
      for (const param of op.parameters.filter((p) => p.in === 'query' && FILTER_KINDS[p.name])) {
        const id = a[FILTER_KINDS[param.name]!] as string
        const filtered = await asB('GET', `${op.path}?${param.name}=${id}`)
        const body = filtered.statusCode === 200 ? filtered.json<{ data: unknown[] }>() : null
        if (body ? body.data.length > 0 : filtered.statusCode !== 404 && filtered.statusCode !== 400) failures.push(`${route}?${param.name}=<A's>: ${filtered.statusCode} ${filtered.body.slice(0, 200)}`)
      }
    } else if (!CREATES_WITHOUT_REFERENCES.has(route) && !REFERENCE_CASES.some((c) => c.route === route)) {
      unknown.push(`${route}: a creation the isolation matrix does not know; add it to REFERENCE_CASES (bodies naming another tenant's ids) or CREATES_WITHOUT_REFERENCES`)
      continue
    }
    exercised++
    if (op.method === 'GET' && (await changedRows()) !== before) failures.push(`${route}: a read changed rows`)
  }

  for (const c of REFERENCE_CASES) {
    if (!operationsOf(doc).some((op) => `${op.method} ${op.path}` === c.route)) unknown.push(`${c.route}: in REFERENCE_CASES but no longer a route`)
    const before = await changedRows()
    const body = c.body(a, B.ids)
    const res = await asB(c.route.split(' ')[0]!, c.url(a, B.ids), typeof body === 'string' || body === undefined ? body : JSON.stringify(body), c.contentType ?? (body === undefined ? undefined : 'application/json'))
    const lines = res.statusCode === 200 ? res.json<{ results?: { status: string }[]; data?: unknown[] }>() : null
    const refused = res.statusCode >= 400 && res.statusCode < 500
      || (lines?.results?.length && lines.results.every((line) => line.status === 'rejected'))
      || (lines?.data && lines.data.length === 0)
    if (!refused) failures.push(`${c.route} naming A's objects: ${res.statusCode} ${res.body.slice(0, 300)}`)
    if ((await changedRows()) !== before && !lines?.results) failures.push(`${c.route} naming A's objects changed rows`)
  }

  // GraphQL: every field taking an id, for every object type it returns; every connection.
  const schema = buildASTSchema(concatAST(schemaSources().map((sdl) => parse(sdl))))
  const call = async (keyword: string, field: GraphQLField<unknown, unknown>, id: string) => {
    const literalOf = (typeName: string, name: string) =>
      ARG_LITERALS[name] ?? TYPE_LITERALS[typeName] ?? (typeName === 'String' || typeName === 'ID' ? '"x"' : typeName === 'Int' || typeName === 'Float' ? '1' : typeName === 'Boolean' ? 'true' : '{}')
    const extra = field.args.filter((arg) => arg.name !== 'id' && isNonNullType(arg.type)).map((arg) => `${arg.name}: ${literalOf(getNamedType(arg.type).name, arg.name)}`)
    const query = `${keyword} { ${field.name}(id: ${JSON.stringify(id)}${extra.length ? `, ${extra.join(', ')}` : ''}) { __typename } }`
    return ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(B.key), payload: { query } })
  }
  for (const [keyword, root] of [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!]] as const) {
    for (const field of Object.values(root.getFields())) {
      const type = getNamedType(field.type)
      if (field.args.some((arg) => arg.name === 'id')) {
        const kind = GRAPHQL_KINDS[type.name]
        if (!kind) { unknown.push(`GraphQL ${field.name}: returns ${type.name}, unknown to GRAPHQL_KINDS`); continue }
        const res = await call(keyword, field, a[kind] as string)
        const body = res.json<{ data?: Record<string, unknown> | null; errors?: { extensions: { code: string } }[] }>()
        const refused = !body.data?.[field.name] && (body.errors ?? []).every((e) => e.extensions.code === 'not_found')
        if (!refused) failures.push(`GraphQL ${field.name}(id: A's ${kind}): ${res.body.slice(0, 300)}`)
      } else if (keyword === 'query' && isObjectType(type) && type.name.endsWith('Connection')) {
        const res = await ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(B.key), payload: { query: `{ ${field.name} { edges { cursor } } }` } })
        if (leaked(res).length) failures.push(`GraphQL ${field.name}: B's connection shows A's ids ${leaked(res).join(', ')}`)
      }
    }
  }

  // The audit chain through GraphQL: the connection is checked above with the others; its filters
  // and the verification (no id, no connection) are checked here: B only ever sees its own chain.
  const asBGraphql = (query: string) => ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(B.key), payload: { query } })
  for (const filter of [`debtorId: "${a.debtor}"`, `objectId: "${a.invoice}"`]) {
    const res = await asBGraphql(`{ auditEntries(first: 100, ${filter}) { edges { node { objectId } } } }`)
    if (res.json().data?.auditEntries?.edges?.length !== 0) failures.push(`GraphQL auditEntries(${filter.split(':')[0]}: A's): ${res.body.slice(0, 200)}`)
  }
  const chainOfB = await asBGraphql('{ auditEntries(first: 100) { edges { node { objectId debtorId snapshot } } } }')
  if (!chainOfB.json().data?.auditEntries?.edges?.length || leaked(chainOfB).length) failures.push(`GraphQL auditEntries: B's chain shows A's ids [${leaked(chainOfB).join(', ')}]`)
  const verificationOfB = (await asBGraphql('{ auditVerification { ok checked head { sequence hash } } }')).json().data?.auditVerification
  const restVerificationOfB = (await asB('GET', '/v1/audit/verify')).json()
  if (!verificationOfB?.ok || verificationOfB.head?.hash !== restVerificationOfB.head?.hash || verificationOfB.checked !== restVerificationOfB.checked) {
    failures.push(`GraphQL auditVerification is not B's own chain: ${JSON.stringify(verificationOfB)} vs REST ${JSON.stringify(restVerificationOfB)}`)
  }

  t.same(unknown, [], 'every route and GraphQL field is known to the matrix')
  t.same(failures, [], "B never reaches A's objects")
  t.ok(exercised > 60, `${exercised} routes exercised with B's key`)
  t.ok(Object.keys(KIND_OF_COLLECTION).length >= 18)
})

t.test('row-level security: the application role without tenant or scope setting sees no row of any tenant table', async (t) => {
  const ctx = await buildTestApp(t, HARDENING_ENV)
  await seedWorld(ctx, 'Acme SAS')
  const { rows: tables } = await ctx.database.pool.query<{ table_name: string }>(
    `select distinct c.table_name from information_schema.columns c join pg_class k on k.relname = c.table_name and not k.relispartition
      where c.table_schema = 'public' and c.column_name = 'tenant_id' order by 1`,
  )
  t.ok(tables.length >= 25, `${tables.length} tables keyed by tenant`)
  let hidden = 0
  for (const { table_name: table } of tables) {
    const bare = await ctx.database.pool.query<{ n: number }>(`select count(*)::int as n from "${table}"`)
    t.equal(bare.rows[0]!.n, 0, `${table}: nothing visible without app.tenant_id or app.scope`)
    const client = await ctx.database.pool.connect()
    try {
      await client.query('begin')
      await client.query(`select set_config('app.scope', 'system', true)`)
      hidden += (await client.query<{ n: number }>(`select count(*)::int as n from "${table}"`)).rows[0]!.n
      await client.query('rollback')
    } finally {
      client.release()
    }
  }
  t.ok(hidden > 50, `${hidden} rows exist behind those empty answers`)
})
