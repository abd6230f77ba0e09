import {
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLList,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql'
import { MAX_PAGE } from './page-size.js'

/** Above this many estimated resolved objects a query is refused before it runs. */
export const MAX_QUERY_COST = 10_000
const UNBOUNDED_LIST_GUESS = 5

interface Walk {
  fragments: Record<string, FragmentDefinitionNode>
}

/** How many children one resolution of this field yields: `first` (given or its default) or list size. */
function multiplier(field: GraphQLField<unknown, unknown>, node: FieldNode): number {
  const arg = node.arguments?.find((a) => a.name.value === 'first')
  if (arg?.value.kind === Kind.INT) return Number(arg.value.value)
  // Rules run once per cached query, before variables are known: assume the largest page.
  if (arg?.value.kind === Kind.VARIABLE) return MAX_PAGE
  const declared = field.args.find((a) => a.name === 'first')?.defaultValue
  if (typeof declared === 'number') return declared
  return getNullableType(field.type) instanceof GraphQLList ? UNBOUNDED_LIST_GUESS : 1
}

function cost(type: GraphQLNamedType, selection: SelectionSetNode | undefined, walk: Walk, seen: Set<string>): number {
  if (!selection) return 0
  let total = 0
  for (const node of selection.selections) {
    if (node.kind === Kind.FIELD) {
      const field = isObjectType(type) ? type.getFields()[node.name.value] : undefined
      if (!field) continue
      const child = getNamedType(field.type)
      // A connection's `first` already counted its edges.
      const times = type.name.endsWith('Connection') ? 1 : multiplier(field, node)
      total += 1 + times * cost(child, node.selectionSet, walk, seen)
    } else if (node.kind === Kind.INLINE_FRAGMENT) {
      total += cost(type, node.selectionSet, walk, seen)
    } else if (!seen.has(node.name.value)) {
      const fragment = walk.fragments[node.name.value]
      total += cost(type, fragment?.selectionSet, walk, new Set([...seen, node.name.value]))
    }
  }
  return total
}

/**
 * Each field costs 1 and a paginated or list field multiplies what it selects by its page size, so
 * `debtors(first: 100) { edges { node { invoices(first: 100) { … } } } }` (~20,000 objects) is
 * refused before it runs, while an ordinary page costs tens or hundreds.
 */
export function costLimitRule(context: ValidationContext) {
  const fragments: Record<string, FragmentDefinitionNode> = {}
  for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def
  return {
    OperationDefinition(node: { operation: string; selectionSet: SelectionSetNode }) {
      const schema = context.getSchema()
      const root = node.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType()
      if (!root) return
      const total = cost(root, node.selectionSet, { fragments }, new Set())
      if (total > MAX_QUERY_COST) {
        context.reportError(new GraphQLError(`Query too costly: about ${total} objects, limit ${MAX_QUERY_COST}. Ask for smaller pages.`))
      }
    },
  }
}
