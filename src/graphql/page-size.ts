import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql'
import { AppError, type FieldError } from '../shared/errors.js'

/** The largest page of any connection, as `?limit=` on REST lists. */
export const MAX_PAGE = 100

function valueOf(node: ValueNode, variables: Record<string, unknown>, defaults: Map<string, ValueNode>): unknown {
  if (node.kind === Kind.INT) return Number(node.value)
  if (node.kind !== Kind.VARIABLE) return undefined // any other literal is a type error GraphQL reports itself
  const given = variables[node.name.value]
  if (given !== undefined) return given
  const fallback = defaults.get(node.name.value)
  return fallback?.kind === Kind.INT ? Number(fallback.value) : undefined
}

/**
 * A connection's `first` outside 1..100 is refused naming the field, as REST refuses `limit`
 * (rather than quietly serving another page size than asked). Runs before execution, once the
 * variables are known.
 */
export function refuseOversizedPages(document: DocumentNode, variables: Record<string, unknown> = {}) {
  const defaults = new Map<string, ValueNode>()
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue
    for (const v of definition.variableDefinitions ?? []) if (v.defaultValue) defaults.set(v.variable.name.value, v.defaultValue)
  }
  const errors: FieldError[] = []
  visit(document, {
    Field(field) {
      const first = field.arguments?.find((a) => a.name.value === 'first')
      if (!first) return
      const value = valueOf(first.value, variables, defaults)
      if (value === undefined || value === null) return
      if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_PAGE) {
        errors.push({ path: `${field.alias?.value ?? field.name.value}.first`, message: `Must be between 1 and ${MAX_PAGE}` })
      }
    },
  })
  if (errors.length) {
    throw new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors)
  }
}
