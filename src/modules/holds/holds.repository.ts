import { clockScopeFilter, type ClockScope } from '../test-clocks/clock-scope.js'
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { holds } from './holds.tables.js'

export type HoldRow = typeof holds.$inferSelect
export type HoldStatus = HoldRow['status']

export async function insertHold(tx: Tx, row: typeof holds.$inferInsert): Promise<HoldRow> {
  const [created] = await tx.insert(holds).values(row).returning()
  return created!
}

export async function findHold(tx: Tx, tenantId: string, holdId: string, forUpdate = false): Promise<HoldRow | undefined> {
  const query = tx
    .select()
    .from(holds)
    .where(and(eq(holds.tenantId, tenantId), eq(holds.holdId, holdId)))
  const [row] = forUpdate ? await query.for('update') : await query
  return row
}

export interface HoldFilter {
  limit: number
  startingAfter?: string
  status?: HoldStatus
  kind?: HoldRow['kind']
  debtorId?: string
  invoiceId?: string
}

export async function listHolds(tx: Tx, tenantId: string, filter: HoldFilter): Promise<HoldRow[]> {
  const where: SQL[] = [eq(holds.tenantId, tenantId)]
  if (filter.startingAfter) where.push(lt(holds.holdId, filter.startingAfter))
  if (filter.status) where.push(eq(holds.status, filter.status))
  if (filter.kind) where.push(eq(holds.kind, filter.kind))
  if (filter.debtorId) where.push(eq(holds.debtorId, filter.debtorId))
  if (filter.invoiceId) where.push(eq(holds.invoiceId, filter.invoiceId))
  return tx
    .select()
    .from(holds)
    .where(and(...where))
    .orderBy(desc(holds.holdId))
    .limit(filter.limit + 1)
}

/** Ends an active hold; undefined when it had already ended (the caller locked it first). */
export async function endHold(
  tx: Tx,
  tenantId: string,
  holdId: string,
  end: { status: Exclude<HoldStatus, 'active'>; reason: string },
): Promise<HoldRow | undefined> {
  const now = new Date()
  const [row] = await tx
    .update(holds)
    .set({ status: end.status, endReason: end.reason, endedAt: now, updatedAt: now })
    .where(and(eq(holds.tenantId, tenantId), eq(holds.holdId, holdId), eq(holds.status, 'active')))
    .returning()
  return row
}

/**
 * Ends, across every tenant, the holds whose date ran out before `today`, in one statement.
 * Manual and legal holds expire. A promise to pay is kept when the debtor's live payments in the
 * promised currency, received from the day the hold was made to the promised date, reach the
 * promised amount, and broken otherwise; end_reason says how much came in.
 */
export async function endLapsedHolds(tx: Tx, today: string, scope: ClockScope): Promise<HoldRow[]> {
  const ended = await tx.execute<{ tenant_id: string; hold_id: string }>(sql`
    with lapsed as (
      select h.tenant_id, h.hold_id, h.kind, h.promised_amount, h.promised_date,
        case when h.kind = 'promise_to_pay' then (
          select coalesce(sum(p.amount), 0) from payments p
          where p.tenant_id = h.tenant_id and p.debtor_id = h.debtor_id and p.currency = h.promised_currency
            and p.reversed_at is null
            -- From the tenant's day of the promise (its test clock's, in a sandbox) to the promised date.
            and p.received_on between coalesce(h.starts_on, (h.created_at at time zone 'UTC')::date) and h.promised_date
        ) end as paid
      from holds h
      where h.status = 'active' and coalesce(h.expires_on, h.promised_date) < ${today}::date
        and h.kind in ('manual', 'legal', 'promise_to_pay') and ${clockScopeFilter(scope, sql`h.tenant_id`)}
    )
    update holds h set
      status = case
        when l.kind <> 'promise_to_pay' then 'expired'
        when l.paid >= l.promised_amount then 'kept'
        else 'broken'
      end,
      end_reason = case
        when l.kind <> 'promise_to_pay' then 'expired'
        else case when l.paid >= l.promised_amount then 'promise_kept' else 'promise_broken' end
          || ': paid ' || l.paid || ' of ' || l.promised_amount || ' by ' || to_char(l.promised_date, 'YYYY-MM-DD')
      end,
      ended_at = now(),
      updated_at = now()
    from lapsed l
    where h.tenant_id = l.tenant_id and h.hold_id = l.hold_id and h.status = 'active'
    returning h.tenant_id, h.hold_id`)
  if (!ended.rows.length) return []
  return tx
    .select()
    .from(holds)
    .where(
      sql`(${holds.tenantId}, ${holds.holdId}) in (select * from unnest(${sql.param(ended.rows.map((r) => r.tenant_id))}::text[], ${sql.param(ended.rows.map((r) => r.hold_id))}::text[]))`,
    )
    .orderBy(holds.tenantId, holds.holdId)
}
