import { sql } from 'drizzle-orm'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { appliedMigrationCount, expectedMigrationCount } from '../db/migrate.js'

export const HEARTBEAT_JOB = 'system.heartbeat'

const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    database: z.enum(['ok', 'unreachable']),
    migrations: z.object({ applied: z.number().int(), expected: z.number().int() }),
    heartbeat: z.object({
      last_run_at: z.string().nullable().describe('Last run of the worker heartbeat job, any worker'),
      age_seconds: z.number().nullable(),
    }),
  }),
})

async function lastHeartbeat(app: Parameters<FastifyPluginAsyncZod>[0]): Promise<Date | null> {
  // The jobs table is Agenda's; it appears when a worker first starts.
  const result = await app.db
    .execute<{ last: Date | string | null }>(
      sql`select max(last_finished_at) as last from agenda_jobs where name = ${HEARTBEAT_JOB}`,
    )
    .catch(() => ({ rows: [] as { last: null }[] }))
  const last = result.rows[0]?.last
  return last ? new Date(last) : null
}

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Operations']
  app.get(
    '/healthz',
    {
      schema: { tags, summary: 'Liveness: the process is up', security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/readyz',
    {
      schema: {
        tags,
        summary: 'Readiness: database reachable and migrations applied',
        security: [],
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const expected = await expectedMigrationCount()
      let database: 'ok' | 'unreachable' = 'ok'
      let applied = 0
      try {
        applied = await appliedMigrationCount(app.db)
      } catch {
        database = (await app.db.execute(sql`select 1`).then(() => true, () => false)) ? 'ok' : 'unreachable'
      }
      const last = database === 'ok' ? await lastHeartbeat(app) : null
      const ready = database === 'ok' && applied >= expected
      reply.code(ready ? 200 : 503)
      return {
        status: ready ? ('ready' as const) : ('not_ready' as const),
        checks: {
          database,
          migrations: { applied, expected },
          heartbeat: {
            last_run_at: last ? last.toISOString() : null,
            age_seconds: last ? Math.round((Date.now() - last.getTime()) / 1000) : null,
          },
        },
      }
    },
  )
}
