import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { addWebhookCatalogue } from '../modules/webhooks/openapi-webhooks.js'
import { ERROR_CODES } from '../shared/errors.js'

const description = `Relance is a headless dunning engine. Push debtors, invoices and payments; Relance runs the
collection scenario of every overdue debt and reports what happened through signed webhooks.

Authenticate with \`Authorization: Bearer rl_live_…\` (or \`rl_test_…\` for sandbox tenants). A platform key
(\`rl_platform_…\`) creates tenants and acts for one with the \`Relance-Tenant: ten_…\` header.

Every error is \`application/problem+json\` (RFC 9457) with a \`code\` from: ${Object.keys(ERROR_CODES)
  .map((c) => `\`${c}\``)
  .join(', ')}. Every POST accepts \`Idempotency-Key\` (kept 24 hours).`

/** OpenAPI 3.1 built from the zod route schemas; GraphQL routes are left out (their schema is GraphQL). */
export async function registerSwagger(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Relance API', version: '1.0.0', description },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'rl_live_…, rl_test_… or rl_platform_… API key' },
        },
      },
      security: [{ bearer: [] }],
    },
    hideUntagged: true,
    transform: (input) => {
      if (input.url.startsWith('/graphql') || input.url.startsWith('/graphiql')) {
        return { schema: { ...input.schema, hide: true }, url: input.url }
      }
      return jsonSchemaTransform(input)
    },
    // The event catalogue (OpenAPI 3.1 `webhooks`) is not a route, so it is added to the document here.
    transformObject: (input) => addWebhookCatalogue(jsonSchemaTransformObject(input)),
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true, persistAuthorization: true } })
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger())
}
