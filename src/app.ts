import { connectionRoutes } from './modules/channels/connections.routes.js'
import { callbackRoutes } from './modules/dispatch/callbacks.routes.js'
import { createDispatchDeps } from './modules/dispatch/dispatch-deps.js'
import { dispatchRoutes } from './modules/dispatch/dispatch.routes.js'
import { trackingRoutes } from './modules/dispatch/tracking.routes.js'
import type { PumpDeps } from './modules/dispatch/pump.js'
import { taskRoutes } from './modules/tasks/tasks.routes.js'
import { lawRoutes } from './modules/law/law.routes.js'
import { reportRoutes } from './modules/reports/reports.routes.js'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { DestinationStream } from 'pino'
import type { Env } from './config/env.js'
import type { Database, Db } from './db/client.js'
import { registerGraphql } from './graphql/index.js'
import { apiKeyRoutes } from './modules/api-keys/api-keys.routes.js'
import { auditRoutes } from './modules/audit/audit.routes.js'
import { dossierRoutes } from './modules/evidence/dossier.routes.js'
import { debtorRoutes } from './modules/debtors/debtors.routes.js'
import { invoiceRoutes } from './modules/invoices/invoices.routes.js'
import { importRoutes } from './modules/imports/imports.routes.js'
import { paymentRoutes } from './modules/payments/payments.routes.js'
import { holdRoutes } from './modules/holds/holds.routes.js'
import { scenarioRuleRoutes } from './modules/scenarios/scenario-rules.routes.js'
import { scenarioVersionRoutes } from './modules/scenarios/scenario-versions.routes.js'
import { scenarioRoutes } from './modules/scenarios/scenarios.routes.js'
import { paymentPlanRoutes } from './modules/payment-plans/payment-plans.routes.js'
import { engineRoutes } from './modules/engine/engine.routes.js'
import { tenantRoutes } from './modules/tenants/tenants.routes.js'
import { templateRoutes } from './modules/templates/templates.routes.js'
import { testClockRoutes } from './modules/test-clocks/test-clocks.routes.js'
import { webhookEndpointRoutes } from './modules/webhooks/endpoints.routes.js'
import { eventRoutes } from './modules/webhooks/events-api.routes.js'
import { jwksRoutes, signingKeyRoutes } from './modules/webhooks/signing-keys.routes.js'
import { webhookSettings } from './modules/webhooks/webhooks.config.js'
import { authenticate } from './platform/auth.js'
import { registerErrorHandling, sendFrameworkError } from './platform/errors.js'
import { healthRoutes } from './platform/health.js'
import { httpServerOptions, limitHeaderCount } from './platform/http-limits.js'
import { registerIdempotency } from './platform/idempotency.js'
import { loggerOptions } from './platform/logger.js'
import { registerMetrics } from './platform/metrics.js'
import { registerNulGuard } from './platform/nul-guard.js'
import { registerRateLimit } from './platform/rate-limit.js'
import { registerSwagger } from './platform/swagger.js'
import { newId } from './shared/ids.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    /** The read replica when configured, else the primary: for `withTenantRead`. */
    readDb: Db
    env: Env
    dispatchDeps: PumpDeps
  }
}

export interface AppOptions {
  env: Env
  database: Database
  /** Where log lines go (stdout by default); tests read them. */
  logStream?: DestinationStream
}

/** Builds the HTTP app: platform plugins, then the modules' REST routes, then GraphQL. */
export async function buildApp({ env, database, logStream }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(env, logStream),
    genReqId: () => newId('request'),
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: env.RELANCE_BODY_LIMIT_BYTES,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
    // A URL the router cannot decode, or an id longer than any Relance id: a problem+json like every error.
    frameworkErrors: sendFrameworkError,
    // Header, body and idle timeouts, header size; answers to what Node refuses (docs/api.md, Limits).
    ...httpServerOptions(env),
  })
  limitHeaderCount(app, env.RELANCE_HTTP_MAX_HEADERS)
  app.decorate('db', database.db)
  // Reports and other read-only routes: `withTenantRead(request.server, tenantId, fn)` reads the
  // replica when DATABASE_REPLICA_URL is set, the primary otherwise (docs/scaling.md).
  app.decorate('readDb', database.readDb)
  app.decorate('env', env)
  app.decorate('dispatchDeps', await createDispatchDeps(env))
  app.addHook('onSend', async (request, reply) => {
    reply.header('request-id', request.id)
  })
  registerErrorHandling(app)
  registerMetrics(app, database)
  await registerSwagger(app)
  const webhooks = webhookSettings(env)
  const limitRate = await registerRateLimit(app, env)

  await app.register(async (rest) => {
    // zod compilers live in this encapsulated context only: Mercurius's own routes need Fastify's.
    rest.setValidatorCompiler(validatorCompiler)
    rest.setSerializerCompiler(serializerCompiler)
    registerNulGuard(rest)
    await rest.register(healthRoutes)
    await rest.register(jwksRoutes, { settings: webhooks })
    await rest.register(
      async (v1) => {
        v1.decorateRequest('principal', null as never)
        v1.addHook('onRequest', async (request) => {
          request.principal = await authenticate(database.db, request)
          request.log = request.log.child({ tenant_id: request.principal.tenantId ?? undefined })
        })
        // After authentication: the budget is the key's, and invalid requests spend it too.
        v1.addHook('onRequest', limitRate)
        registerIdempotency(v1, database.db, (request) => request.principal.tenantId ?? request.principal.keyId)
        await v1.register(tenantRoutes)
        await v1.register(apiKeyRoutes)
        await v1.register(debtorRoutes)
        await v1.register(holdRoutes)
        await v1.register(paymentPlanRoutes)
        await v1.register(testClockRoutes)
        await v1.register(engineRoutes)
        await v1.register(invoiceRoutes)
        await v1.register(paymentRoutes)
        await v1.register(importRoutes)
        await v1.register(scenarioRoutes)
        await v1.register(scenarioVersionRoutes)
        await v1.register(scenarioRuleRoutes)
        await v1.register(templateRoutes)
        await v1.register(connectionRoutes)
        await v1.register(dispatchRoutes)
        await v1.register(taskRoutes)
        await v1.register(reportRoutes)
        await v1.register(lawRoutes)
        await v1.register(webhookEndpointRoutes, { settings: webhooks })
        await v1.register(eventRoutes)
        await v1.register(auditRoutes)
        await v1.register(dossierRoutes)
        await v1.register(signingKeyRoutes, { settings: webhooks })
      },
      { prefix: '/v1' },
    )
    await rest.register(callbackRoutes, { prefix: '/v1' })
    await rest.register(trackingRoutes)
  })

  await registerGraphql(app, database.db, { graphiql: env.RELANCE_GRAPHIQL ?? env.NODE_ENV !== 'production', limitRate })
  return app
}
