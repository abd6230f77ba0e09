import { GraphQLScalarType, Kind, type ValueNode } from 'graphql'

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value)
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]))
    case Kind.LIST:
      return ast.values.map(literal)
    default:
      return null
  }
}

/** Free-form JSON (metadata), passed through as is. */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literal,
})

/** Shallow snake_case -> camelCase, so GraphQL fields read the same objects REST returns. */
export function camelize<T extends object>(dto: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(dto).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]))
}

/** A REST list page as a Relay connection; cursors are object ids, as `starting_after` is. */
export function toConnection<T extends { id: string }>(page: { data: T[]; has_more: boolean }) {
  return {
    edges: page.data.map((node) => ({ cursor: node.id, node: camelize(node) })),
    pageInfo: { hasNextPage: page.has_more, endCursor: page.data.at(-1)?.id ?? null },
  }
}

export const commonTypeDefs = /* GraphQL */ `
  scalar JSON
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type Query {
    _empty: Boolean
  }
  type Mutation {
    _empty: Boolean
  }
`
