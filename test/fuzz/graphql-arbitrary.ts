import fc from 'fast-check'
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql'
import { edgeNumbers, edgeStrings } from './schema-arbitrary.js'

export interface GraphqlRequest {
  query: string
  variables?: unknown
  operationName?: unknown
}

type Draw = fc.GeneratorValue

const pick = <T>(draw: Draw, arbitrary: fc.Arbitrary<T>): T => draw(() => arbitrary)

function literal(type: GraphQLInputType, draw: Draw, ids: string[], depth: number): string {
  // One argument in eight gets a value of the wrong kind.
  if (pick(draw, fc.nat(7)) === 0) return pick(draw, fc.constantFrom('"x"', '-1', '1.5', 'true', 'null', '[]', '{a: 1}', 'NOPE', '99999999999999999999', '"\\u0000"'))
  if (isNonNullType(type)) return literal(type.ofType, draw, ids, depth)
  if (isListType(type)) {
    const n = pick(draw, fc.nat(3))
    return `[${Array.from({ length: n }, () => literal(type.ofType, draw, ids, depth + 1)).join(', ')}]`
  }
  if (isEnumType(type)) return pick(draw, fc.constantFrom(...type.getValues().map((v) => v.name)))
  if (isInputObjectType(type)) {
    if (depth > 4) return '{}'
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) || pick(draw, fc.boolean()))
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type, draw, ids, depth + 1)}`).join(', ')} }`
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return String(pick(draw, fc.oneof(fc.integer({ min: -5, max: 200 }), edgeNumbers.map((n) => Math.trunc(n)))))
      case 'Float':
        return String(pick(draw, fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), edgeNumbers)))
      case 'Boolean':
        return String(pick(draw, fc.boolean()))
      case 'ID':
        return JSON.stringify(pick(draw, fc.oneof(fc.constantFrom(...ids), edgeStrings)))
      case 'JSON':
        return pick(draw, fc.constantFrom('{a: "b"}', '{}', '[1, 2]', '"x"', '{a: {b: {c: {d: [1, {e: "f"}]}}}}'))
      default:
        return JSON.stringify(pick(draw, fc.oneof({ arbitrary: fc.string({ maxLength: 20 }), weight: 3 }, { arbitrary: edgeStrings, weight: 1 }, fc.constantFrom(...ids))))
    }
  }
  return 'null'
}

function argumentsOf(args: readonly GraphQLArgument[], draw: Draw, ids: string[]): string {
  // Required arguments are nearly always given; optional ones now and then.
  const given = args.filter((a) => (isNonNullType(a.type) ? pick(draw, fc.nat(15)) > 0 : pick(draw, fc.boolean())))
  return given.length ? `(${given.map((a) => `${a.name}: ${literal(a.type, draw, ids, 0)}`).join(', ')})` : ''
}

function selection(type: GraphQLObjectType, draw: Draw, ids: string[], depth: number): string {
  const fields = Object.values(type.getFields())
  const chosen = pick(draw, fc.subarray(fields, { minLength: 1, maxLength: Math.min(3, fields.length) }))
  const parts = chosen.map((field) => {
    const named = getNamedType(field.type)
    const args = argumentsOf(field.args, draw, ids)
    if (!isObjectType(named)) return `${field.name}${args}`
    if (depth >= 10) return `${field.name}${args} { __typename }`
    return `${field.name}${args} { ${selection(named, draw, ids, depth + 1)} }`
  })
  return parts.join(' ')
}

/** Queries and mutations built from the schema itself, with fuzzed arguments and selections up to depth 11. */
export function schemaOperation(schema: GraphQLSchema, ids: string[]): fc.Arbitrary<GraphqlRequest> {
  return fc.gen().map((draw) => {
    const root = pick(draw, fc.constantFrom('query', 'query', 'mutation')) === 'query' ? schema.getQueryType()! : schema.getMutationType()!
    const keyword = root === schema.getQueryType() ? 'query' : 'mutation'
    return { query: `${keyword} { ${selection(root, draw, ids, 0)} }` }
  })
}

const nestedQuery = (depth: number) =>
  `{ debtors(first: 1) { edges { node { id ${'invoices(first: 1) { edges { node { id debtor { '.repeat(depth)}id${' } } } }'.repeat(depth)} } } } }`

const fields = (n: number, body: string) => Array.from({ length: n }, (_, i) => `a${i}: ${body}`).join(' ')

const HUGE = 'z'.repeat(600_000)

/** Hand-made abuse: malformed text, depth, cost, alias bombs, fragment cycles, huge and odd variables. */
export const abusiveOperation: fc.Arbitrary<GraphqlRequest> = fc.oneof(
  fc.string({ maxLength: 200 }).map((query) => ({ query })),
  fc.constantFrom('{', '}', 'query {', '{ debtors(first: ) { edges } }', 'mutation', '{ __typename', 'query Q($a: Int) { __typename } query Q { __typename }', '{ ...F }', '"\\u0000"', '#', '{ debtors(first: 10, first: 20) { edges { node { id } } } }').map((query) => ({ query })),
  fc.integer({ min: 3, max: 40 }).map((depth) => ({ query: nestedQuery(depth) })),
  fc.integer({ min: 9, max: 300 }).map((depth) => ({ query: `{ ${'__schema { types { fields { type { ofType { '.repeat(Math.ceil(depth / 6))}name${' } } } } }'.repeat(Math.ceil(depth / 6))} }` })),
  fc.integer({ min: 2, max: 3_000 }).map((n) => ({ query: `{ ${fields(n, 'debtors(first: 100) { edges { node { id name } } }')} }` })),
  fc.integer({ min: 100, max: 5_000 }).map((n) => ({ query: `{ ${fields(n, '__typename')} }` })),
  fc.constantFrom(
    'fragment A on Query { ...B } fragment B on Query { ...A } { ...A }',
    'fragment A on Query { __typename ...A } { ...A }',
    `fragment F on Query { ${fields(50, 'debtors(first: 100) { edges { node { id } } }')} } { ...F ...F ...F }`,
    `{ __typename ${'@include(if: true) '.repeat(2_000)}}`,
    `query Q(${Array.from({ length: 500 }, (_, i) => `$v${i}: Int`).join(' ')}) { __typename }`,
  ).map((query) => ({ query })),
  fc.constantFrom<unknown>({ input: { name: HUGE } }, { input: JSON.parse(`${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`) }, { input: [1, 2] }, 'not-an-object', { input: { kind: 'nope', name: '\u0000' } }, null)
    .map((variables) => ({ query: 'mutation M($input: CreateDebtorInput!) { createDebtor(input: $input) { id } }', variables })),
  fc.constantFrom<unknown>(123, { id: ['a'] }, { id: 'x'.repeat(10_000) }, { id: '\u0000' }).map((variables) => ({ query: 'query Q($id: ID!) { debtor(id: $id) { id } }', variables })),
  fc.constantFrom<unknown>(42, 'Nope', ['x'], null).map((operationName) => ({ query: '{ __typename }', operationName })),
  fc.constant({ query: `{ debtor(id: "${HUGE}") { id } }` }),
)
