import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import client from 'prom-client'
import type { Database } from '../db/client.js'

/** Prometheus metrics: HTTP durations by route and status, the DB pool, and Agenda's jobs. */
export function registerMetrics(app: FastifyInstance, database: Database) {
  const registry = new client.Registry()
  client.collectDefaultMetrics({ register: registry })

  const duration = new client.Histogram({
    name: 'relance_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  })
  const { pool } = database
  new client.Gauge({
    name: 'relance_db_pool_connections',
    help: 'PostgreSQL pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount)
      this.set({ state: 'idle' }, pool.idleCount)
      this.set({ state: 'waiting' }, pool.waitingCount)
    },
  })
  new client.Gauge({
    name: 'relance_jobs',
    help: 'Agenda jobs by name and state (scheduled, running, failed)',
    labelNames: ['name', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      const result = await database.db
        .execute<{ name: string; scheduled: number; running: number; failed: number }>(
          sql`select name,
                count(*) filter (where next_run_at is not null and locked_at is null)::int as scheduled,
                count(*) filter (where locked_at is not null)::int as running,
                count(*) filter (where failed_at is not null and failed_at >= coalesce(last_finished_at, failed_at))::int as failed
              from agenda_jobs group by name`,
        )
        .catch(() => ({ rows: [] }))
      for (const row of result.rows) {
        this.set({ name: row.name, state: 'scheduled' }, row.scheduled)
        this.set({ name: row.name, state: 'running' }, row.running)
        this.set({ name: row.name, state: 'failed' }, row.failed)
      }
    },
  })

  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode },
      reply.elapsedTime / 1000,
    )
  })
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType)
    return registry.metrics()
  })
}
