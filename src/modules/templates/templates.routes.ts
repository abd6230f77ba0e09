import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import {
  deletedTemplateSchema,
  listTemplatesQuery,
  previewTemplateBody,
  templateListSchema,
  templatePreviewSchema,
  templateSchema,
  upsertTemplateBody,
} from './templates.schema.js'
import * as templates from './templates.service.js'

const tags = ['Templates']
const writeProblems = { 409: problemSchema, 422: problemSchema, ...commonProblemResponses }

export const templateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/templates',
    {
      schema: {
        tags,
        summary: "List the tenant's own templates",
        description: 'Built-in templates (French and English for every default step) apply wherever the tenant has none.',
        querystring: listTemplatesQuery,
        response: { 200: templateListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => templates.listTemplates(tx, request.principal, request.query)),
  )

  app.post(
    '/templates',
    {
      schema: {
        tags,
        summary: 'Create or replace a template',
        description:
          'Upserts by (key, channel, language): saving again replaces the fields and bumps `version`. The Liquid of each ' +
          'field is parsed and rendered with sample data first; an error names the field (`errors[].path`, e.g. `body.fields.subject`).',
        body: upsertTemplateBody,
        response: { 200: templateSchema, ...writeProblems },
      },
    },
    (request, reply) => write(app.db, request, reply, 200, (tx) => templates.upsertTemplate(tx, request.principal, request.body)),
  )

  app.post(
    '/templates/preview',
    {
      schema: {
        tags,
        summary: 'Render a template with sample or given data',
        description:
          'Renders `fields` if given (a draft), else the template a dispatch would use (tenant override, built-in, language fallback). ' +
          'Returns the rendered fields and the variables the template saw. Nothing is stored.',
        body: previewTemplateBody,
        response: { 200: templatePreviewSchema, ...writeProblems },
      },
    },
    (request) => read(app.db, request, (tx) => templates.previewTemplate(tx, request.principal, request.body)),
  )

  app.get(
    '/templates/:id',
    { schema: { tags, summary: 'Get a template', params: idParamsSchema, response: { 200: templateSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => templates.getTemplate(tx, request.principal, request.params.id)),
  )

  app.delete(
    '/templates/:id',
    {
      schema: {
        tags,
        summary: 'Delete a template',
        description: 'The built-in template for its key, channel and language applies again.',
        params: idParamsSchema,
        response: { 200: deletedTemplateSchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 200, (tx) => templates.deleteTemplate(tx, request.principal, request.params.id)),
  )
}
