import type { InjectOptions } from 'fastify'
import fc from 'fast-check'
import { edgeStrings, fuzzedValue, invalidValue, type FuzzContext, type JsonSchema } from './schema-arbitrary.js'

interface Parameter {
  in: 'path' | 'query' | 'header'
  name: string
  required?: boolean
  schema: JsonSchema
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  parameters: Parameter[]
  body: JsonSchema | null
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>
  components: { schemas: Record<string, JsonSchema> }
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase() as Operation['method'],
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema ?? null,
    })),
  )
}

export const resolverOf = (doc: OpenApiDocument) => (ref: string) => {
  const schema = doc.components.schemas[ref.replace('#/components/schemas/', '')]
  if (!schema) throw new Error(`unresolved ${ref}`)
  return schema
}

/** Percent-encodes the UTF-8 bytes, so lone surrogates and NULs reach the server as a client would send them. */
export function encode(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? ''
  return [...Buffer.from(text, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('')
}

const RAW_SEGMENTS = ['%ED%A0%80', '%', '%zz', '..', '.', '%2F', 'a%00b', 'x'.repeat(5_000)]

function pathSegment(ctx: FuzzContext, schema: JsonSchema): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...ctx.ids).map(encode), weight: 6 },
    { arbitrary: fuzzedValue(schema, ctx).map(encode), weight: 2 },
    { arbitrary: fc.constantFrom(...RAW_SEGMENTS), weight: 1 },
  )
}

function queryArbitrary(op: Operation, ctx: FuzzContext): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query')
  const parts = params.map((p) =>
    fc.option(fuzzedValue(p.schema, ctx, p.name), { freq: 2 }).map((v) => {
      if (v === null || v === undefined) return ''
      const values = Array.isArray(v) ? v : [v]
      return values.map((one) => `${p.name}=${encode(typeof one === 'string' ? one : JSON.stringify(one))}`).join('&')
    }),
  )
  const unknown = fc.option(fc.tuple(fc.constantFrom('colour', 'limit[]', 'tenant_id', '__proto__'), edgeStrings), { freq: 5 })
    .map((u) => (u ? `${u[0]}=${encode(u[1])}` : ''))
  return fc.tuple(...parts, unknown).map((all) => all.filter(Boolean).join('&'))
}

const BULK_LINE_SCHEMAS: Record<string, string> = {
  '/v1/debtors/bulk': 'CreateDebtorInput',
  '/v1/invoices/bulk': 'CreateInvoiceInput',
  '/v1/payments/bulk': 'CreatePaymentInput',
}

type Payload = { payload?: string | Buffer; contentType?: string }

function jsonPayload(body: fc.Arbitrary<unknown>): fc.Arbitrary<Payload> {
  return fc.oneof(
    { arbitrary: body.map((b) => (b === undefined ? {} : { payload: JSON.stringify(b), contentType: 'application/json' })), weight: 12 },
    { arbitrary: fc.constantFrom('{"a":', '{"a":1}}', 'nul', '\u0000', '[', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}').map((p) => ({ payload: p, contentType: 'application/json' })), weight: 1 },
    { arbitrary: fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=latin1').map((contentType) => ({ payload: 'a=b', contentType })), weight: 1 },
  )
}

function payloadArbitrary(op: Operation, ctx: FuzzContext): fc.Arbitrary<Payload> {
  const bulk = BULK_LINE_SCHEMAS[op.path]
  if (bulk) {
    const line = fuzzedValue(ctx.resolve(`#/components/schemas/${bulk}`), ctx)
    const lines = fc.array(line, { maxLength: 5 })
    return fc.oneof(
      jsonPayload(fc.oneof(lines, invalidValue(ctx))),
      fc.tuple(lines, fc.array(fc.constantFrom('', '{', 'null', '[]', '"x"', '{"external_ref":""}'), { maxLength: 2 }))
        .map(([ls, junk]) => ({ payload: [...ls.map((l) => JSON.stringify(l)), ...junk].join('\n'), contentType: 'application/x-ndjson' })),
    )
  }
  if (op.method === 'PUT') {
    return fc.tuple(fc.uint8Array({ maxLength: 2_000 }), fc.constantFrom('application/pdf', 'application/octet-stream', 'text/plain', 'image/png'))
      .map(([bytes, contentType]) => ({ payload: Buffer.from(bytes), contentType }))
  }
  if (op.body) return jsonPayload(fuzzedValue(op.body, ctx))
  if (op.method === 'GET' || op.method === 'DELETE') return fc.constant({})
  return fc.oneof({ arbitrary: fc.constant({}), weight: 3 }, { arbitrary: jsonPayload(invalidValue(ctx)), weight: 1 })
}

function headerArbitrary(op: Operation, ctx: FuzzContext): fc.Arbitrary<Record<string, string>> {
  const declared = op.parameters.filter((p) => p.in === 'header')
  const entries = declared.map((p) =>
    fc.option(fc.oneof(fuzzedValue(p.schema, ctx, p.name).map(String), fc.constantFrom('respond-async', '"W/x"', '*')), { freq: 2 }).map((v) => [p.name, v] as const),
  )
  const idempotency = op.method === 'POST'
    ? fc.option(fc.oneof(fc.uuid(), fc.constantFrom('', 'x'.repeat(300), 'é'.repeat(10))), { freq: 4 }).map((v) => ['idempotency-key', v] as const)
    : fc.constant(['idempotency-key', null] as const)
  return fc.tuple(...entries, idempotency).map((pairs) =>
    Object.fromEntries(pairs.filter(([, v]) => v !== null && /^[\t\x20-\x7e\x80-\xff]*$/.test(v)) as [string, string][]),
  )
}

export interface FuzzRequest extends InjectOptions {
  method: Operation['method']
  url: string
}

/** One request to `op`: its path ids, query, headers and body each fuzzed from the operation's schemas. */
export function requestArbitrary(op: Operation, ctx: FuzzContext, auth: fc.Arbitrary<Record<string, string>>): fc.Arbitrary<FuzzRequest> {
  const pathNames = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
  const schemaOf = (name: string) => op.parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? { type: 'string' }
  const segments = pathNames.length ? fc.tuple(...pathNames.map((n) => pathSegment(ctx, schemaOf(n)))) : fc.constant([] as string[])
  return fc.record({
    segments,
    query: queryArbitrary(op, ctx),
    headers: headerArbitrary(op, ctx),
    auth,
    body: payloadArbitrary(op, ctx),
  }).map(({ segments, query, headers, auth, body }) => {
    let i = 0
    const path = op.path.replace(/\{\w+\}/g, () => segments[i++]!)
    return {
      method: op.method,
      url: query ? `${path}?${query}` : path,
      headers: { ...headers, ...auth, ...(body.contentType ? { 'content-type': body.contentType } : {}) },
      ...(body.payload === undefined ? {} : { payload: body.payload }),
    }
  })
}
