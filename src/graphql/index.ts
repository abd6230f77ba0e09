import type { FastifyInstance } from 'fastify'
import { GraphQLError, Source, type DocumentNode, type ExecutionResult } from 'graphql'
import mercurius, { type IResolvers, type MercuriusContext, type MercuriusLoaders } from 'mercurius'
import type { Db } from '../db/client.js'
import * as apiKeysGraphql from '../modules/api-keys/api-keys.graphql.js'
import * as auditGraphql from '../modules/audit/audit.graphql.js'
import * as debtorsGraphql from '../modules/debtors/debtors.graphql.js'
import * as dispatchGraphql from '../modules/dispatch/dispatch.graphql.js'
import * as holdsGraphql from '../modules/holds/holds.graphql.js'
import * as invoicesGraphql from '../modules/invoices/invoices.graphql.js'
import * as lawGraphql from '../modules/law/law.graphql.js'
import * as paymentPlansGraphql from '../modules/payment-plans/payment-plans.graphql.js'
import * as paymentsGraphql from '../modules/payments/payments.graphql.js'
import * as reportsGraphql from '../modules/reports/reports.graphql.js'
import * as scenariosGraphql from '../modules/scenarios/scenarios.graphql.js'
import * as tasksGraphql from '../modules/tasks/tasks.graphql.js'
import * as tenantsGraphql from '../modules/tenants/tenants.graphql.js'
import * as testClocksGraphql from '../modules/test-clocks/test-clocks.graphql.js'
import * as webhooksGraphql from '../modules/webhooks/webhooks.graphql.js'
import { authenticate } from '../platform/auth.js'
import { toAppError } from '../platform/errors.js'
import type { RateLimitHook } from '../platform/rate-limit.js'
import { AppError } from '../shared/errors.js'
import { costLimitRule } from './cost-limit.js'
import { refuseOversizedPages } from './page-size.js'
import { commonTypeDefs, JSONScalar } from './scalars.js'

interface GraphqlModule {
  typeDefs: string
  resolvers: IResolvers
  loaders?: MercuriusLoaders
}

const modules: GraphqlModule[] = [
  tenantsGraphql,
  apiKeysGraphql,
  debtorsGraphql,
  invoicesGraphql,
  paymentsGraphql,
  holdsGraphql,
  paymentPlansGraphql,
  scenariosGraphql,
  testClocksGraphql,
  webhooksGraphql,
  reportsGraphql,
  lawGraphql,
  dispatchGraphql,
  tasksGraphql,
  auditGraphql,
]

/** The SDL of the whole schema, in the order Mercurius merges it (tests build the schema from it). */
export const schemaSources = (): string[] => [commonTypeDefs, ...modules.map((m) => m.typeDefs)]

function mergeResolvers(list: IResolvers[]): IResolvers {
  const merged: Record<string, Record<string, unknown>> = {}
  for (const resolvers of list) {
    for (const [type, fields] of Object.entries(resolvers)) merged[type] = { ...merged[type], ...(fields as object) }
  }
  return merged as IResolvers
}

/**
 * Every GraphQL error carries `extensions.code` from the same closed set as REST problems, and the
 * request id; unexpected errors are masked as REST 5xx are.
 */
function formatErrors(execution: ExecutionResult & { errors: readonly GraphQLError[] }, ctx: MercuriusContext) {
  const requestId = String(ctx.reply?.request.id ?? '')
  // Mercurius wraps every validation error of a query into one; give each back on its own.
  const flat = execution.errors.flatMap((error) => {
    if (error.originalError instanceof AppError) return [error]
    const inner = (error.originalError as { errors?: unknown } | undefined)?.errors
    return Array.isArray(inner) && inner.length ? (inner as GraphQLError[]) : [error]
  })
  const errors = flat.map((error) => {
    const original = error.originalError
    let appError: AppError
    if (original instanceof AppError) appError = original
    else if (!original || original instanceof GraphQLError) appError = new AppError('validation_failed', error.message)
    else appError = toAppError(original, ctx.reply.request)
    if (appError.status >= 500) ctx.reply?.log.error({ err: original ?? error }, 'graphql resolver failed')
    return {
      message: appError.status >= 500 ? appError.detail : error.message,
      locations: error.locations,
      path: error.path,
      extensions: { code: appError.code, request_id: requestId, ...(appError.errors.length ? { errors: appError.errors } : {}) },
    }
  })
  // A request refused by the rate limit ran nothing: the HTTP status says so, as on REST, with Retry-After.
  const statusCode = errors.some((e) => e.extensions.code === 'rate_limited') ? 429 : 200
  return { statusCode, response: { data: execution.data ?? null, errors } }
}

/**
 * Mercurius takes a query that is not GraphQL for a JSON-encoded AST (`"x"`, `{}`…) and its
 * validation then crashed on it (a masked 500). Only documents parsed from GraphQL text carry a
 * `Source`, which JSON cannot forge: anything else is refused as invalid.
 */
function refuseForeignDocuments(document: DocumentNode) {
  if (!(document?.loc?.source instanceof Source)) {
    throw new AppError('validation_failed', 'The query is not a GraphQL document.', [{ path: 'query', message: 'Not GraphQL' }])
  }
}

export async function registerGraphql(app: FastifyInstance, db: Db, options: { graphiql: boolean; limitRate: RateLimitHook }) {
  await app.register(async (scope) => {
    scope.addHook('onRequest', async function (request, reply) {
      if (!request.url.startsWith('/graphql')) return
      request.principal = await authenticate(db, request)
      // The same per-key budget as REST (platform/rate-limit.ts).
      await options.limitRate.call(this, request, reply)
    })
    await scope.register(mercurius, {
      schema: schemaSources(),
      resolvers: mergeResolvers([{ JSON: JSONScalar } as unknown as IResolvers, ...modules.map((m) => m.resolvers)]),
      loaders: mergeResolvers(modules.map((m) => (m.loaders ?? {}) as IResolvers)) as MercuriusLoaders,
      graphiql: options.graphiql,
      queryDepth: 8,
      validationRules: [costLimitRule],
      context: (request) => ({ principal: request.principal, db, requestId: String(request.id) }),
      errorFormatter: formatErrors,
    })
    scope.graphql.addHook('preValidation', async (_schema, document) => refuseForeignDocuments(document))
    scope.graphql.addHook('preExecution', async (_schema, document, _context, variables) => refuseOversizedPages(document, variables))
  })
}
