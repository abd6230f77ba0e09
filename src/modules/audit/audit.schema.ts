import { z } from 'zod'
import { listSchema, timestampSchema } from '../../platform/api-schemas.js'

const hex64 = z.string().describe('Lowercase hex sha256')

export const auditEntrySchema = z
  .object({
    object: z.literal('audit_entry'),
    sequence: z.number().int().describe('1, 2, 3… per tenant, without gaps'),
    occurred_at: timestampSchema.describe('When the change committed its event, to the millisecond (as hashed)'),
    actor: z.string().describe('The API key id that made the change (key_…, pkey_…), or system for jobs'),
    action: z.string().describe('The event type, e.g. invoice.paid, dispatch.delivered, proof.received'),
    object_type: z.string().describe('invoice, payment, credit_note, hold, scenario, dispatch, proof…'),
    object_id: z.string(),
    debtor_id: z.string().nullable().describe('The debtor the change concerns, when there is one'),
    event_id: z.string().describe('The outbox event (GET /v1/events) this entry chains'),
    snapshot: z.string().describe('The object after the change, as JSON text, exactly the bytes snapshot_sha256 covers'),
    snapshot_sha256: hex64,
    prev_hash: hex64.describe('The previous entry hash; 64 zeros for sequence 1'),
    hash: hex64.describe('sha256 of the canonical lines (docs/evidence.md)'),
  })
  .meta({ id: 'AuditEntry' })

export const listAuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1 to 100'),
  starting_after: z.coerce.number().int().min(0).optional().describe('Sequence of the last entry of the previous page'),
  object_id: z.string().max(64).optional(),
  debtor_id: z.string().max(64).optional(),
  action: z.string().max(100).optional().describe('Exact event type, e.g. dispatch.refused'),
  occurred_after: z.iso.datetime({ offset: true }).optional().describe('Inclusive lower bound, RFC 3339'),
  occurred_before: z.iso.datetime({ offset: true }).optional().describe('Exclusive upper bound, RFC 3339'),
})
export const auditListSchema = listSchema(auditEntrySchema)

const breakReasonSchema = z
  .enum(['sequence_gap', 'prev_hash_mismatch', 'snapshot_hash_mismatch', 'hash_mismatch'])
  .describe('sequence_gap: an entry is missing or out of place; prev_hash_mismatch: the link to the previous entry is broken; ' +
    'snapshot_hash_mismatch: the snapshot was changed; hash_mismatch: another field (or the hash) was changed')

export const auditVerificationSchema = z
  .object({
    object: z.literal('audit_verification'),
    ok: z.boolean(),
    checked: z.number().int().describe('Entries checked, up to and including the first broken one'),
    first_broken: z.object({ sequence: z.number().int(), reason: breakReasonSchema }).nullable(),
    head: z
      .object({ sequence: z.number().int(), hash: hex64 })
      .nullable()
      .describe('The last entry: keep it elsewhere to prove later that no entry was removed from the end'),
    verified_at: timestampSchema,
  })
  .meta({ id: 'AuditVerification' })

export type AuditEntryDto = z.infer<typeof auditEntrySchema>
export type ListAuditQuery = z.infer<typeof listAuditQuery>
export type AuditVerification = z.infer<typeof auditVerificationSchema>
