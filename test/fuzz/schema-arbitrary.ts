import fc from 'fast-check'

/** The parts of JSON Schema (as zod writes it into openapi.json) the fuzzer reads. */
export interface JsonSchema {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  propertyNames?: JsonSchema
  items?: JsonSchema
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  minItems?: number
  maxItems?: number
  pattern?: string
  format?: string
  description?: string
}

export interface FuzzContext {
  resolve(ref: string): JsonSchema
  /** Ids that exist: the tenant's own, another tenant's; bodies naming ids pick among them. */
  ids: string[]
}

const nest = (depth: number): unknown => {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value }
  return value
}

// Built once: a fresh 2 MB string per run would cost more than the request it feeds.
const HUGE = 'x'.repeat(70_000)
const OVER_BODY_LIMIT = 'y'.repeat(1_100_000)

export const edgeStrings = fc.constantFrom(
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '𝕽𝖊𝖑𝖆𝖓𝖈𝖊 🚀', '\u202eevil', 'e\u0301', 'ǅ', '٣', '\n\r\t',
  "' OR 1=1 --", '"; drop table debtors; --', '../../etc/passwd', '%00', '%2e%2e%2f', '{{ 7 * 7 }}', '{% raw %}', '<script>alert(1)</script>',
  'dbt_', 'inv_0000000000000000000000000', 'ten_01m84a7mtr28c0mpkwmpcck460', 'null', 'undefined', 'NaN', '-1', '1e309', 'true',
  '2026-02-30', '2026-13-01', '0000-01-01', '9999-12-31', '2026-1-1', '2026-02-29', '+275760-09-13', '2026-02-29T25:00:00Z',
  '2026-03-01T00:00:00+14:00', '1970-01-01T00:00:00Z', '2026-03-01T00:00:00.123456789Z', '20260301', 'yesterday', HUGE,
)
export const edgeNumbers = fc.constantFrom(-1, 0, -0, 1.5, -2_147_483_649, 2 ** 31, 2 ** 53, 2 ** 63, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 5e-324)
const deep = fc.constantFrom(nest(40), nest(200), nest(2_000))
// Bodies over the limit cost megabytes per request: rare, enough to meet the 413 path now and then.
export const anyJson = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 6 },
  { arbitrary: deep, weight: 2 },
  { arbitrary: edgeStrings, weight: 4 },
  { arbitrary: edgeNumbers, weight: 3 },
  { arbitrary: fc.constant(OVER_BODY_LIMIT), weight: 1 },
)

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type
  if (schema.type) return [schema.type]
  if (schema.properties) return ['object']
  return []
}

const dateString = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
const looksLikeDate = (name: string, s: JsonSchema) => /YYYY-MM-DD|calendar date/i.test(s.description ?? '') || /(_date|_on|_before|_after|^as_of)$/.test(name)
const looksLikeId = (name: string, s: JsonSchema) => /(^|_)ids?$/.test(name) || /\b[a-z]{2,4}_…/.test(s.description ?? '')

function stringArbitrary(name: string, s: JsonSchema, ctx: FuzzContext): fc.Arbitrary<string> {
  if (s.format === 'date-time') return dateString.map((d) => d.toISOString())
  if (s.format === 'email') return fc.emailAddress()
  if (s.format === 'uri') return fc.webUrl()
  if (looksLikeId(name, s) && ctx.ids.length) return fc.constantFrom(...ctx.ids)
  if (looksLikeDate(name, s)) return dateString.map((d) => d.toISOString().slice(0, 10))
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 1e6))
    } catch {
      // not a JavaScript-compatible pattern: fall through to plain strings
    }
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 30) })
}

/** Values the schema accepts (by its own rules; the service may still refuse them). */
export function validValue(s: JsonSchema, ctx: FuzzContext, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (s.$ref) return validValue(ctx.resolve(s.$ref), ctx, name, depth)
  const alternatives = s.anyOf ?? s.oneOf
  if (alternatives) return fc.oneof(...alternatives.map((a) => validValue(a, ctx, name, depth)))
  if (s.allOf?.length) return validValue(s.allOf[0]!, ctx, name, depth)
  if (s.enum) return fc.constantFrom(...s.enum)
  if ('const' in s) return fc.constant(s.const)
  const types = typesOf(s)
  if (!types.length) return fc.jsonValue({ maxDepth: 2 })
  return fc.oneof(...types.map((type) => valueOfType(type, s, ctx, name, depth)))
}

function valueOfType(type: string, s: JsonSchema, ctx: FuzzContext, name: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArbitrary(name, s, ctx)
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? -1e6, -1e12), max: Math.min(s.maximum ?? 1e6, 1e12) })
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array': {
      const minLength = s.minItems ?? 0
      const items = s.items ?? {}
      return fc.array(fuzzedValue(items, ctx, name, depth + 1), { minLength, maxLength: Math.min(s.maxItems ?? minLength + 3, minLength + 3) })
    }
    case 'object':
      return objectArbitrary(s, ctx, depth)
    default:
      return fc.jsonValue({ maxDepth: 1 })
  }
}

function objectArbitrary(s: JsonSchema, ctx: FuzzContext, depth: number): fc.Arbitrary<unknown> {
  const properties = s.properties ?? {}
  const required = s.required ?? []
  const shape = Object.fromEntries(Object.entries(properties).map(([key, sub]) => [key, fuzzedValue(sub, ctx, key, depth + 1)]))
  const base = fc.record(shape, { requiredKeys: required.filter((k) => k in properties) })
  const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : null
  const withMap = extra
    ? fc.tuple(base, fc.dictionary(validValue(s.propertyNames ?? { type: 'string', maxLength: 20 }, ctx) as fc.Arbitrary<string>, fuzzedValue(extra, ctx, '', depth + 1), { maxKeys: 3 }))
        .map(([known, more]) => ({ ...more, ...known }))
    : base
  // Object-level mutations: a required field missing, or a field nobody declared.
  return fc.oneof(
    { arbitrary: withMap, weight: 6 },
    { arbitrary: fc.tuple(withMap, fc.constantFrom(...(required.length ? required : ['_']))).map(([o, k]) => omit(o, k)), weight: 1 },
    { arbitrary: fc.tuple(withMap, fc.constantFrom('colour', '__proto__', 'constructor', 'tenant_id', 'id'), anyJson).map(([o, k, v]) => withKey(o, k, v)), weight: 1 },
  )
}

function omit(value: unknown, key: string): unknown {
  if (!value || typeof value !== 'object') return value
  const copy = { ...(value as Record<string, unknown>) }
  delete copy[key]
  return copy
}

function withKey(value: unknown, key: string, extra: unknown): unknown {
  if (!value || typeof value !== 'object') return value
  const copy = { ...(value as Record<string, unknown>) }
  Object.defineProperty(copy, key, { value: extra, enumerable: true, writable: true, configurable: true })
  return copy
}

/** Anything but what the schema asks for: wrong types, edge strings and numbers, deep JSON, foreign ids. */
export function invalidValue(ctx: FuzzContext): fc.Arbitrary<unknown> {
  return fc.oneof(
    edgeStrings,
    edgeNumbers,
    fc.constantFrom(null, true, [], {}, [1, 'a'], { a: 1 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    anyJson,
    ctx.ids.length ? fc.constantFrom(...ctx.ids) : fc.constant('x'),
  )
}

/** Mostly valid, sometimes not: a body whose fields are each occasionally replaced by something invalid. */
export function fuzzedValue(s: JsonSchema, ctx: FuzzContext, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return validValue(s, ctx, name, depth)
  return fc.oneof(
    { arbitrary: validValue(s, ctx, name, depth), weight: 5 },
    { arbitrary: invalidValue(ctx), weight: 1 },
  )
}
