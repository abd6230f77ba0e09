import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema, ifMatchHeadersSchema } from '../../platform/api-schemas.js'
import { etagOf } from '../../platform/etag.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { createTenantBody, listTenantsQuery, tenantListSchema, tenantSchema, updateTenantBody } from './tenants.schema.js'
import * as tenants from './tenants.service.js'

const tags = ['Tenants']

export const tenantRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/tenants',
    {
      schema: {
        tags,
        summary: 'Create a tenant (platform key)',
        description: 'One tenant per creditor company you serve. Sandbox tenants use the simulators and test clocks.',
        body: createTenantBody,
        response: { 201: tenantSchema, 403: problemSchema, 409: problemSchema, 422: problemSchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => tenants.createTenant(tx, request.principal, request.body)),
  )

  app.get(
    '/tenants',
    {
      schema: {
        tags,
        summary: 'List tenants',
        description: 'A platform key lists every tenant; a tenant key lists its own.',
        querystring: listTenantsQuery,
        response: { 200: tenantListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => tenants.listTenants(tx, request.query)),
  )

  app.get(
    '/tenants/:id',
    {
      schema: {
        tags,
        summary: 'Get a tenant',
        params: idParamsSchema,
        response: { 200: tenantSchema, ...commonProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = await read(app.db, request, (tx) => tenants.getTenant(tx, request.principal, request.params.id))
      reply.header('etag', etagOf(tenant))
      return tenant
    },
  )

  app.patch(
    '/tenants/:id',
    {
      schema: {
        tags,
        summary: 'Update a tenant',
        params: idParamsSchema,
        headers: ifMatchHeadersSchema,
        body: updateTenantBody,
        response: { 200: tenantSchema, 409: problemSchema, 412: problemSchema, ...commonProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = await write(app.db, request, reply, 200, (tx) =>
        tenants.updateTenant(tx, request.principal, request.params.id, request.body, request.headers['if-match']),
      )
      reply.header('etag', etagOf(tenant))
      return tenant
    },
  )
}
