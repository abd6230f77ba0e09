import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { newId } from '../../shared/ids.js'

export const TEST_EVENT = 'webhook_endpoint.tested'

/**
 * Claims up to `limit` queued events (SKIP LOCKED: a second worker takes the next ones) and
 * creates one pending delivery per enabled endpoint that wants each, in the same transaction.
 * A test event goes only to the endpoint it tests; `*` means every other type.
 */
export async function fanOutQueuedEvents(tx: Tx, now: Date, limit: number): Promise<{ events: number; deliveries: number }> {
  const claimed = await tx.execute<{ tenant_id: string; event_id: string; endpoint_id: string | null }>(sql`
    with claimed as (
      delete from webhook_event_queue q
      using (select tenant_id, event_id from webhook_event_queue order by seq limit ${limit} for update skip locked) c
      where q.tenant_id = c.tenant_id and q.event_id = c.event_id
      returning q.tenant_id, q.event_id, q.seq
    )
    select c.tenant_id, c.event_id, w.endpoint_id
    from claimed c
    join events e on e.tenant_id = c.tenant_id and e.event_id = c.event_id
    left join webhook_endpoints w on w.tenant_id = c.tenant_id and w.enabled and case
      when e.type = ${TEST_EVENT} then e.object_id = w.endpoint_id
      else e.type = any(w.enabled_events) or '*' = any(w.enabled_events) end
    order by c.seq, w.endpoint_id`)
  const rows = claimed.rows.filter((r) => r.endpoint_id !== null)
  if (rows.length) await insertDeliveries(tx, now, rows as Array<{ tenant_id: string; event_id: string; endpoint_id: string }>)
  return { events: new Set(claimed.rows.map((r) => r.event_id)).size, deliveries: rows.length }
}

/** New pending deliveries, due at `now`; ids are made here in order so they sort by creation. */
export async function insertDeliveries(
  tx: Tx,
  now: Date,
  rows: Array<{ tenant_id: string; event_id: string; endpoint_id: string }>,
): Promise<Array<{ delivery_id: string; endpoint_id: string }>> {
  const stamp = now.getTime()
  const values = rows.map((r) => ({ ...r, delivery_id: newId('webhookDelivery', stamp) }))
  await tx.execute(sql`
    insert into webhook_deliveries (tenant_id, delivery_id, endpoint_id, event_id, status, next_attempt_at, created_at, updated_at)
    select r.tenant_id, r.delivery_id, r.endpoint_id, r.event_id, 'pending', ${now}, ${now}, ${now}
    from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as r(tenant_id text, delivery_id text, endpoint_id text, event_id text)`)
  return values.map(({ delivery_id, endpoint_id }) => ({ delivery_id, endpoint_id }))
}

export type DueDelivery = {
  tenant_id: string
  delivery_id: string
  endpoint_id: string
  event_id: string
  attempts: number
  retry_step: number
  type: string
  event_created_at: Date
  data: Record<string, unknown>
  url: string
  secret_sealed: string
  previous_secret_sealed: string | null
  previous_secret_expires_at: Date | null
}

/**
 * Takes the due deliveries of enabled endpoints, oldest first, and leases them: next_attempt_at
 * moves to the end of the lease, so a worker that dies mid-attempt only delays them (at least once).
 */
export async function claimDueDeliveries(tx: Tx, now: Date, limit: number, leaseMs: number): Promise<DueDelivery[]> {
  const leaseEnd = new Date(now.getTime() + leaseMs)
  const result = await tx.execute<DueDelivery>(sql`
    with due as (
      select d.tenant_id, d.delivery_id from webhook_deliveries d
      join webhook_endpoints w on w.tenant_id = d.tenant_id and w.endpoint_id = d.endpoint_id and w.enabled
      where d.status = 'pending' and d.next_attempt_at <= ${now}
      order by d.next_attempt_at, d.delivery_id
      limit ${limit}
      for update of d skip locked
    ), leased as (
      update webhook_deliveries d set next_attempt_at = ${leaseEnd}, attempts = d.attempts + 1
      from due where d.tenant_id = due.tenant_id and d.delivery_id = due.delivery_id
      returning d.tenant_id, d.delivery_id, d.endpoint_id, d.event_id, d.attempts, d.retry_step
    )
    select l.*, e.type, e.created_at as event_created_at, e.data, w.url, w.secret_sealed,
      w.previous_secret_sealed, w.previous_secret_expires_at
    from leased l
    join events e on e.tenant_id = l.tenant_id and e.event_id = l.event_id
    join webhook_endpoints w on w.tenant_id = l.tenant_id and w.endpoint_id = l.endpoint_id
    order by l.delivery_id`)
  return result.rows.map((r) => ({
    ...r,
    event_created_at: new Date(r.event_created_at),
    previous_secret_expires_at: r.previous_secret_expires_at ? new Date(r.previous_secret_expires_at) : null,
  }))
}

export interface AttemptRecord {
  tenant_id: string
  attempt_id: string
  delivery_id: string
  endpoint_id: string
  event_id: string
  event_type: string
  attempt: number
  succeeded: boolean
  status_code: number | null
  latency_ms: number
  response_body: string | null
  error: string | null
  // The delivery after this attempt.
  status: 'pending' | 'succeeded' | 'failed'
  retry_step: number
  next_attempt_at: string | null
}

/** The outcome of a batch of attempts: the log rows and the deliveries' new state, two statements. */
export async function recordAttempts(tx: Tx, now: Date, records: AttemptRecord[]): Promise<void> {
  const json = JSON.stringify(records)
  // An endpoint deleted while its attempt was in flight takes its log with it (no row to attach to).
  await tx.execute(sql`
    insert into webhook_attempts (tenant_id, attempt_id, delivery_id, endpoint_id, event_id, event_type, attempt, succeeded,
      status_code, latency_ms, response_body, error, created_at)
    select r.tenant_id, r.attempt_id, r.delivery_id, r.endpoint_id, r.event_id, r.event_type, r.attempt, r.succeeded,
      r.status_code, r.latency_ms, r.response_body, r.error, ${now}
    from jsonb_to_recordset(${json}::jsonb) as r(tenant_id text, attempt_id text, delivery_id text, endpoint_id text, event_id text,
      event_type text, attempt int, succeeded boolean, status_code int, latency_ms int, response_body text, error text)
    where exists (select 1 from webhook_endpoints w where w.tenant_id = r.tenant_id and w.endpoint_id = r.endpoint_id)`)
  await tx.execute(sql`
    update webhook_deliveries d set status = r.status, retry_step = r.retry_step, next_attempt_at = r.next_attempt_at,
      last_status_code = r.status_code, last_error = r.error, updated_at = ${now},
      completed_at = case when r.status = 'pending' then null else ${now}::timestamptz end
    from jsonb_to_recordset(${json}::jsonb) as r(tenant_id text, delivery_id text, status text, retry_step int,
      next_attempt_at timestamptz, status_code int, error text)
    where d.tenant_id = r.tenant_id and d.delivery_id = r.delivery_id`)
}
