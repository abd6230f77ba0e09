import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { commonProblemResponses } from '../../platform/problem.js'
import { read } from '../../platform/request-context.js'
import {
  agingQuery, agingReportSchema, atRiskQuery, atRiskReportSchema, dsoQuery, dsoReportSchema, effectivenessQuery,
  effectivenessReportSchema, forecastQuery, forecastReportSchema,
} from './reports.schema.js'
import * as reports from './reports.service.js'

const tags = ['Reports']
const asOfNote = 'As of any day (`as_of`, default the tenant\'s today): invoices issued by then, payments received and credit notes issued by then. See docs/reports.md for each formula.'

export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/reports/aging',
    {
      schema: {
        tags,
        summary: 'Aged balance: not yet due, 1–30, 31–60, 61–90, over 90 days, per currency',
        description: `${asOfNote} Buckets count days past the due date on as_of.`,
        querystring: agingQuery,
        response: { 200: agingReportSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => reports.agingReport(tx, request.principal, request.query)),
  )

  app.get(
    '/reports/dso',
    {
      schema: {
        tags,
        summary: 'Days sales outstanding, standard and countback, with their inputs',
        description: `${asOfNote} Standard: receivables / sales of the last period_days × period_days. Countback: months of latest sales the receivables amount to.`,
        querystring: dsoQuery,
        response: { 200: dsoReportSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => reports.dsoReport(tx, request.principal, request.query)),
  )

  app.get(
    '/reports/forecast',
    {
      schema: {
        tags,
        summary: 'Expected collections over the next 13 weeks, per week and currency',
        description: `${asOfNote} Open invoices at due date + the debtor's average lateness, payment-plan instalments, promises to pay; each line names its basis.`,
        querystring: forecastQuery,
        response: { 200: forecastReportSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => reports.forecastReport(tx, request.principal, request.query)),
  )

  app.get(
    '/reports/effectiveness',
    {
      schema: {
        tags,
        summary: 'Per scenario step and channel: share of debts paid within N days, cost per recovered unit',
        description: asOfNote,
        querystring: effectivenessQuery,
        response: { 200: effectivenessReportSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => reports.effectivenessReport(tx, request.principal, request.query)),
  )

  app.get(
    '/reports/at-risk',
    {
      schema: {
        tags,
        summary: 'Debtors with rising lateness, broken promises or refused registered letters',
        description: asOfNote,
        querystring: atRiskQuery,
        response: { 200: atRiskReportSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => reports.atRiskReport(tx, request.principal, request.query)),
  )
}
