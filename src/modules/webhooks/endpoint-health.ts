import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { emitEvent } from '../events/events.service.js'
import { failPendingDeliveries, updateEndpoint } from './endpoints.repository.js'
import { toEndpointDto } from './endpoints.service.js'
import { DISABLE_AFTER_FAILING_MS } from './retry-schedule.js'

export interface EndpointOutcome {
  tenantId: string
  endpointId: string
  succeeded: boolean
  gone: boolean
}

interface Health {
  tenant_id: string
  endpoint_id: string
  ok: boolean
  gone: boolean
}

/**
 * After a batch of attempts: a success ends an endpoint's failing streak, a failure starts one. An
 * endpoint that answered 410 Gone, or whose streak reached 5 days, is disabled; its waiting
 * deliveries fail and a `webhook_endpoint.disabled` event goes through the outbox (to the
 * tenant's other endpoints). Returns how many were disabled.
 */
export async function applyEndpointHealth(tx: Tx, now: Date, outcomes: EndpointOutcome[]): Promise<number> {
  const byEndpoint = new Map<string, Health>()
  for (const o of outcomes) {
    const key = `${o.tenantId}/${o.endpointId}`
    const health = byEndpoint.get(key) ?? { tenant_id: o.tenantId, endpoint_id: o.endpointId, ok: false, gone: false }
    health.ok ||= o.succeeded
    health.gone ||= o.gone
    byEndpoint.set(key, health)
  }
  if (!byEndpoint.size) return 0
  const streakStart = new Date(now.getTime() - DISABLE_AFTER_FAILING_MS)
  const updated = await tx.execute<{ tenant_id: string; endpoint_id: string; disable: string | null }>(sql`
    update webhook_endpoints w set failing_since = case when h.ok then null else coalesce(w.failing_since, ${now}::timestamptz) end
    from jsonb_to_recordset(${JSON.stringify([...byEndpoint.values()])}::jsonb) as h(tenant_id text, endpoint_id text, ok boolean, gone boolean)
    where w.tenant_id = h.tenant_id and w.endpoint_id = h.endpoint_id
      and (w.failing_since is distinct from (case when h.ok then null else coalesce(w.failing_since, ${now}::timestamptz) end) or h.gone
        or (not h.ok and w.failing_since <= ${streakStart}::timestamptz))
    returning w.tenant_id, w.endpoint_id, case
      when not w.enabled then null
      when h.gone then 'The endpoint answered 410 Gone'
      when not h.ok and w.failing_since <= ${streakStart}::timestamptz
        then 'Every attempt failed since ' || to_char(w.failing_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
      end as disable`)
  let disabled = 0
  for (const row of updated.rows) {
    if (!row.disable) continue
    const endpoint = await updateEndpoint(tx, row.tenant_id, row.endpoint_id, { enabled: false, disabledReason: row.disable, disabledAt: now })
    await failPendingDeliveries(tx, row.tenant_id, row.endpoint_id, `endpoint disabled: ${row.disable}`, now)
    await emitEvent(tx, row.tenant_id, { type: 'webhook_endpoint.disabled', objectId: row.endpoint_id, object: toEndpointDto(endpoint) })
    disabled++
  }
  return disabled
}
