import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { parseInput } from '../../graphql/input.js'
import { camelize } from '../../graphql/scalars.js'
import { listAuditQuery, type AuditEntryDto } from './audit.schema.js'
import * as audit from './audit.service.js'

export const typeDefs = /* GraphQL */ `
  "One change in the tenant's hash chain (docs/evidence.md): hash = sha256 of its canonical lines."
  type AuditEntry {
    sequence: Int!
    occurredAt: String!
    actor: String!
    action: String!
    objectType: String!
    objectId: String!
    debtorId: ID
    eventId: String!
    "The object after the change, exactly the JSON text snapshotSha256 covers"
    snapshot: String!
    snapshotSha256: String!
    prevHash: String!
    hash: String!
  }
  type AuditEntryEdge {
    "The entry's sequence"
    cursor: String!
    node: AuditEntry!
  }
  type AuditEntryConnection {
    edges: [AuditEntryEdge!]!
    pageInfo: PageInfo!
  }
  type AuditBreak {
    sequence: Int!
    "sequence_gap, prev_hash_mismatch, snapshot_hash_mismatch or hash_mismatch"
    reason: String!
  }
  type AuditHead { sequence: Int!, hash: String! }
  type AuditVerification {
    ok: Boolean!
    "Entries checked, up to and including the first broken one"
    checked: Int!
    firstBroken: AuditBreak
    "The last entry: keep it elsewhere to prove later that none was cut from the end"
    head: AuditHead
    verifiedAt: String!
  }
  extend type Query {
    "The audit chain in chain order; after is a sequence (the cursor)."
    auditEntries(first: Int = 20, after: String, objectId: ID, debtorId: ID, action: String, occurredAfter: String, occurredBefore: String): AuditEntryConnection!
    "Recomputes the whole chain and answers the first entry that does not match (GET /v1/audit/verify)."
    auditVerification: AuditVerification!
  }
`

interface AuditEntriesArgs {
  first: number
  after?: string | null
  objectId?: string | null
  debtorId?: string | null
  action?: string | null
  occurredAfter?: string | null
  occurredBefore?: string | null
}

/** Audit entries are addressed by sequence, not id: the cursor is the sequence. */
function toAuditConnection(page: { data: AuditEntryDto[]; has_more: boolean }) {
  return {
    edges: page.data.map((entry) => ({ cursor: String(entry.sequence), node: camelize(entry) })),
    pageInfo: { hasNextPage: page.has_more, endCursor: page.data.length ? String(page.data.at(-1)!.sequence) : null },
  }
}

export const resolvers: IResolvers = {
  Query: {
    auditEntries: (_root, args: AuditEntriesArgs, ctx) => {
      // The REST query schema checks the filters, so a bad one is a coded error naming it.
      const query = parseInput(listAuditQuery, {
        limit: Math.min(Math.max(args.first, 1), 100),
        startingAfter: args.after ?? undefined,
        objectId: args.objectId ?? undefined,
        debtorId: args.debtorId ?? undefined,
        action: args.action ?? undefined,
        occurredAfter: args.occurredAfter ?? undefined,
        occurredBefore: args.occurredBefore ?? undefined,
      })
      return read(ctx, (tx) => audit.listAudit(tx, ctx.principal, query)).then(toAuditConnection)
    },
    auditVerification: (_root, _args, ctx) =>
      read(ctx, (tx) => audit.verifyAudit(tx, ctx.principal)).then(camelize),
  },
}
