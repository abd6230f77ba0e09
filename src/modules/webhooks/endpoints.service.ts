import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import { assertIfMatch } from '../../platform/etag.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { AppError, notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import { seal } from '../../shared/secret-box.js'
import { emitEvent } from '../events/events.service.js'
import { checkEndpointUrl } from './endpoint-url.js'
import * as repo from './endpoints.repository.js'
import type { CreateWebhookEndpointInput, DeliveryAttemptDto, UpdateWebhookEndpointInput, WebhookEndpointDto } from './endpoints.schema.js'
import { TEST_EVENT } from './pump.repository.js'
import { newEndpointSecret } from './signatures.js'
import type { WebhookSettings } from './webhooks.config.js'

export function toEndpointDto(row: repo.EndpointRow, secret?: string): WebhookEndpointDto {
  const overlap = row.previousSecretExpiresAt && row.previousSecretSealed ? row.previousSecretExpiresAt : null
  return {
    object: 'webhook_endpoint',
    id: row.endpointId,
    url: row.url,
    description: row.description,
    enabled_events: row.enabledEvents,
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    ...(secret ? { secret } : {}),
    previous_secret_expires_at: iso(overlap),
    external_ref: row.externalRef,
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

/** The SSRF check at creation, before any transaction: it resolves the host name. */
export function vetUrl(url: string, settings: WebhookSettings): Promise<string> {
  return checkEndpointUrl(url, settings.policy, { requireHttps: settings.requireHttps, resolve: settings.resolve })
}

async function mustFind(tx: Tx, tenantId: string, endpointId: string, forUpdate = false) {
  const row = await repo.findEndpoint(tx, tenantId, endpointId, forUpdate)
  if (!row) throw notFound('webhook endpoint', endpointId)
  return row
}

/** `input.url` must have been through vetUrl. The secret is in this answer and never again. */
export async function createEndpoint(tx: Tx, principal: Principal, input: CreateWebhookEndpointInput, settings: WebhookSettings) {
  const tenantId = requireTenant(principal)
  const secret = newEndpointSecret()
  const row = await uniqueExternalRef('webhook endpoint', input.external_ref, () =>
    repo.insertEndpoint(tx, {
      tenantId,
      endpointId: newId('webhookEndpoint'),
      url: input.url,
      description: input.description ?? null,
      enabledEvents: [...new Set(input.enabled_events)],
      enabled: input.enabled ?? true,
      secretSealed: seal(settings.secretKey(), secret),
      externalRef: input.external_ref ?? null,
      metadata: input.metadata ?? {},
    }),
  )
  return toEndpointDto(row, secret)
}

export async function getEndpoint(tx: Tx, principal: Principal, endpointId: string) {
  return toEndpointDto(await mustFind(tx, requireTenant(principal), endpointId))
}

export async function listEndpoints(tx: Tx, principal: Principal, query: { limit: number; starting_after?: string }) {
  const rows = await repo.listEndpoints(tx, requireTenant(principal), query.limit, query.starting_after)
  return page(rows.map((r) => toEndpointDto(r)), query.limit)
}

/** `input.url`, if given, must have been through vetUrl. Enabling clears why it was disabled. */
export async function updateEndpoint(tx: Tx, principal: Principal, endpointId: string, input: UpdateWebhookEndpointInput, ifMatch?: string) {
  const tenantId = requireTenant(principal)
  const current = await mustFind(tx, tenantId, endpointId, true)
  assertIfMatch(ifMatch, toEndpointDto(current))
  const reenabled = input.enabled === true && !current.enabled
  const row = await repo.updateEndpoint(tx, tenantId, endpointId, {
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.enabled_events !== undefined ? { enabledEvents: [...new Set(input.enabled_events)] } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.enabled === false && current.enabled ? { disabledReason: null, disabledAt: new Date() } : {}),
    ...(reenabled ? { disabledReason: null, disabledAt: null, failingSince: null } : {}),
  })
  return toEndpointDto(row)
}

export async function deleteEndpoint(tx: Tx, principal: Principal, endpointId: string) {
  const tenantId = requireTenant(principal)
  if (!(await repo.deleteEndpoint(tx, tenantId, endpointId))) throw notFound('webhook endpoint', endpointId)
  return { object: 'webhook_endpoint' as const, id: endpointId, deleted: true as const }
}

/** A new secret signs from now on; the old one signs next to it until the overlap ends. */
export async function rotateSecret(tx: Tx, principal: Principal, endpointId: string, overlapSeconds: number, settings: WebhookSettings) {
  const tenantId = requireTenant(principal)
  const current = await mustFind(tx, tenantId, endpointId, true)
  const secret = newEndpointSecret()
  const row = await repo.updateEndpoint(tx, tenantId, endpointId, {
    secretSealed: seal(settings.secretKey(), secret),
    previousSecretSealed: overlapSeconds > 0 ? current.secretSealed : null,
    previousSecretExpiresAt: overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null,
  })
  return toEndpointDto(row, secret)
}

/** Writes a test event through the outbox; the pump signs and sends it to this endpoint only. */
export async function sendTestEvent(tx: Tx, principal: Principal, endpointId: string) {
  const tenantId = requireTenant(principal)
  const row = await mustFind(tx, tenantId, endpointId)
  if (!row.enabled) throw new AppError('unprocessable', `Webhook endpoint ${endpointId} is disabled; enable it first.`)
  const eventId = await emitEvent(tx, tenantId, { type: TEST_EVENT, objectId: endpointId, object: toEndpointDto(row) })
  return { object: 'webhook_test' as const, endpoint_id: endpointId, event_id: eventId }
}

export async function recoverFailed(tx: Tx, principal: Principal, endpointId: string, since: string) {
  const tenantId = requireTenant(principal)
  const row = await mustFind(tx, tenantId, endpointId)
  if (!row.enabled) throw new AppError('unprocessable', `Webhook endpoint ${endpointId} is disabled; enable it first.`)
  const requeued = await repo.requeueFailedDeliveries(tx, tenantId, endpointId, new Date(since), new Date())
  return { object: 'webhook_recovery' as const, endpoint_id: endpointId, requeued }
}

export async function listDeliveryAttempts(
  tx: Tx,
  principal: Principal,
  endpointId: string,
  query: { limit: number; starting_after?: string; event_id?: string; succeeded?: boolean },
) {
  const tenantId = requireTenant(principal)
  await mustFind(tx, tenantId, endpointId)
  const rows = await repo.listAttempts(tx, tenantId, endpointId, {
    limit: query.limit,
    startingAfter: query.starting_after,
    eventId: query.event_id,
    succeeded: query.succeeded,
  })
  const data: DeliveryAttemptDto[] = rows.map(({ attempt: a, deliveryStatus }) => ({
    object: 'webhook_delivery_attempt',
    id: a.attemptId,
    delivery_id: a.deliveryId,
    event_id: a.eventId,
    event_type: a.eventType,
    attempt: a.attempt,
    succeeded: a.succeeded,
    status_code: a.statusCode,
    latency_ms: a.latencyMs,
    response_body: a.responseBody,
    error: a.error,
    delivery_status: deliveryStatus,
    created_at: iso(a.createdAt)!,
  }))
  return page(data, query.limit)
}
