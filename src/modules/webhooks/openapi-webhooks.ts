import { z } from 'zod'
import { EVENT_CATALOGUE, EVENT_TYPES, eventPayloadSchema } from './event-catalogue.js'

type JsonObject = Record<string, unknown>

const HEADERS = [
  ['webhook-id', 'The event id (evt_…), the same on every retry: deduplicate on it'],
  ['webhook-timestamp', 'Unix seconds of this attempt; reject if more than 5 minutes away from your clock'],
  ['webhook-signature', 'Space-separated `v1,<base64 HMAC-SHA256>` of `{webhook-id}.{webhook-timestamp}.{body}` with the endpoint secret; two entries during a secret rotation'],
  ['relance-signature-jws', 'Detached compact JWS (EdDSA, `kid`) over the same signed content; keys at /.well-known/jwks.json'],
] as const

/** zod's JSON Schema puts named schemas in `$defs`; in the document they live in components. */
function toDocumentSchema(schema: z.ZodType, components: JsonObject): JsonObject {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'output' })
  const text = JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')
  const { $defs, $schema: _schema, ...rest } = JSON.parse(text) as JsonObject & { $defs?: JsonObject; $schema?: string }
  for (const [name, definition] of Object.entries($defs ?? {})) components[name] ??= definition
  return rest
}

/**
 * The OpenAPI 3.1 `webhooks` section: one entry per event type, with its payload schema and the
 * signature headers. Named object schemas (Invoice, Hold…) are shared with the REST routes.
 */
export function addWebhookCatalogue<T extends object>(document: T): T {
  const doc = document as T & { components?: { schemas?: JsonObject }; webhooks?: JsonObject }
  doc.components ??= {}
  const components = (doc.components.schemas ??= {})
  const webhooks: JsonObject = {}
  for (const type of EVENT_TYPES) {
    webhooks[type] = {
      post: {
        summary: type,
        description: EVENT_CATALOGUE[type].description,
        tags: ['Webhooks'],
        operationId: `webhook_${type.replace('.', '_')}`,
        parameters: HEADERS.map(([name, description]) => ({ name, in: 'header', required: true, description, schema: { type: 'string' } })),
        requestBody: { required: true, content: { 'application/json': { schema: toDocumentSchema(eventPayloadSchema(type), components) } } },
        responses: {
          '2XX': { description: 'Received. Any 2xx counts; anything else (3xx included) is retried on the schedule; 410 disables the endpoint.' },
        },
      },
    }
  }
  doc.webhooks = webhooks
  return document
}
