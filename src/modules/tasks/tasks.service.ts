import { and, desc, eq, lt, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { AppError, notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import type { ClaimedDispatch } from '../dispatch/dispatch-claim.repository.js'
import { applyProviderEvents } from '../dispatch/dispatch-record.js'
import { emitEvent } from '../events/events.service.js'
import { createHold } from '../holds/holds.service.js'
import { tenantNow } from '../test-clocks/test-clocks.service.js'
import type { CompleteTaskInput, TaskDto } from './tasks.schema.js'
import { tasks } from './tasks.tables.js'

type Row = typeof tasks.$inferSelect

function toDto(row: Row): TaskDto {
  return {
    object: 'task',
    id: row.taskId,
    kind: row.kind,
    status: row.status,
    dispatch_id: row.dispatchId,
    debtor_id: row.debtorId,
    invoice_ids: row.invoiceIds,
    script: row.script,
    phone: row.phone,
    outcome: row.outcome,
    note: row.note,
    hold_id: row.holdId,
    completed_at: iso(row.completedAt),
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

/** The call_task channel: a task for a person, carrying the rendered script. One per dispatch. */
export async function createCallTask(tx: Tx, d: ClaimedDispatch, script: string): Promise<TaskDto> {
  const [row] = await tx
    .insert(tasks)
    .values({
      tenantId: d.tenant_id,
      taskId: newId('task'),
      kind: 'call',
      dispatchId: d.dispatch_id,
      debtorId: d.debtor_id,
      invoiceIds: d.invoices.map((i) => i.invoice_id),
      script,
      phone: d.debtor.contacts.find((c) => c.phone)?.phone ?? null,
    })
    .returning()
  const dto = toDto(row!)
  await emitEvent(tx, d.tenant_id, { type: 'task.created', objectId: dto.id, object: dto })
  return dto
}

async function findRow(tx: Tx, tenantId: string, taskId: string, lock = false): Promise<Row> {
  const query = tx.select().from(tasks).where(and(eq(tasks.tenantId, tenantId), eq(tasks.taskId, taskId)))
  const [row] = lock ? await query.for('update') : await query
  if (!row) throw notFound('task', taskId)
  return row
}

export async function getTask(tx: Tx, principal: Principal, taskId: string): Promise<TaskDto> {
  return toDto(await findRow(tx, requireTenant(principal), taskId))
}

export async function listTasks(tx: Tx, principal: Principal, query: { limit: number; starting_after?: string; status?: 'open' | 'completed'; debtor_id?: string }) {
  const where: SQL[] = [eq(tasks.tenantId, requireTenant(principal))]
  if (query.starting_after) where.push(lt(tasks.taskId, query.starting_after))
  if (query.status) where.push(eq(tasks.status, query.status))
  if (query.debtor_id) where.push(eq(tasks.debtorId, query.debtor_id))
  const rows = await tx.select().from(tasks).where(and(...where)).orderBy(desc(tasks.taskId)).limit(query.limit + 1)
  return page(rows.map(toDto), query.limit)
}

/**
 * Records what the call came to. A promise or a dispute becomes the matching hold (so the engine
 * pauses and, for a promise, confirms it to the debtor); the call's dispatch is delivered when the
 * debtor was reached, and not delivered otherwise (a scenario may fall back to a letter).
 */
export async function completeTask(tx: Tx, principal: Principal, taskId: string, input: CompleteTaskInput): Promise<TaskDto> {
  const tenantId = requireTenant(principal)
  const task = await findRow(tx, tenantId, taskId, true)
  if (task.status === 'completed') throw new AppError('unprocessable', `Task ${taskId} is already completed (${task.outcome}).`)
  let holdId: string | null = null
  if (input.outcome === 'promise') {
    const hold = await createHold(tx, principal, {
      kind: 'promise_to_pay',
      debtor_id: task.debtorId,
      ...(task.invoiceIds.length === 1 && { invoice_id: task.invoiceIds[0] }),
      promised_amount: input.promised_amount,
      promised_currency: input.promised_currency,
      promised_date: input.promised_date,
      note: input.note ?? `Promised on a call (task ${taskId})`,
    })
    holdId = hold.id
  } else if (input.outcome === 'dispute') {
    for (const invoiceId of task.invoiceIds) {
      const hold = await createHold(tx, principal, { kind: 'dispute', debtor_id: task.debtorId, invoice_id: invoiceId, reason_code: input.dispute_reason, note: input.note })
      holdId ??= hold.id
    }
  }
  const now = await tenantNow(tx, tenantId)
  const [row] = await tx
    .update(tasks)
    .set({ status: 'completed', outcome: input.outcome, note: input.note ?? null, holdId, completedAt: now, updatedAt: new Date() })
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.taskId, taskId)))
    .returning()
  const reached = ['reached', 'promise', 'dispute'].includes(input.outcome)
  await applyProviderEvents(tx, tenantId, 'relance', [
    { providerRef: taskId, dispatchId: task.dispatchId, status: reached ? 'delivered' : 'undelivered', rawStatus: `call_${input.outcome}`, occurredAt: now, reason: reached ? undefined : input.outcome },
  ])
  const dto = toDto(row!)
  await emitEvent(tx, tenantId, { type: 'task.completed', objectId: dto.id, object: dto })
  return dto
}
