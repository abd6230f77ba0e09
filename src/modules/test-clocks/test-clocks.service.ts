import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { AppError, notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import { findTenant } from '../tenants/tenants.repository.js'
import * as repo from './test-clocks.repository.js'
import type { CreateTestClockInput, TestClockDto } from './test-clocks.schema.js'

const MAX_ADVANCE_DAYS = 400

export function toTestClockDto(row: repo.TestClockRow): TestClockDto {
  return {
    object: 'test_clock',
    id: row.clockId,
    name: row.name,
    frozen_time: iso(row.frozenTime)!,
    status: row.status,
    attached: row.attached,
    external_ref: row.externalRef,
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

/** The tenant's "now": its attached test clock, or the wall clock. Every date rule reads this. */
export async function tenantNow(tx: Tx, tenantId: string, wallClock = new Date()): Promise<Date> {
  return (await repo.attachedClock(tx, tenantId))?.frozenTime ?? wallClock
}

/** Creating a clock attaches it to the tenant: sandbox tenants only, one attached clock at a time. */
export async function createTestClock(tx: Tx, principal: Principal, input: CreateTestClockInput): Promise<TestClockDto> {
  const tenantId = requireTenant(principal)
  const tenant = await findTenant(tx, tenantId)
  if (tenant?.mode !== 'sandbox') {
    throw new AppError('unprocessable', 'Test clocks exist for sandbox tenants only: a live tenant runs on real time.')
  }
  if (await repo.attachedClock(tx, tenantId)) {
    throw new AppError('conflict', 'This tenant already has an attached test clock; detach it first (DELETE /v1/test-clocks/{id}).')
  }
  const row = await uniqueExternalRef('test clock', input.external_ref, () =>
    repo.insertClock(tx, {
      tenantId,
      clockId: newId('testClock'),
      name: input.name,
      frozenTime: input.frozen_time ? new Date(input.frozen_time) : new Date(),
      externalRef: input.external_ref ?? null,
      metadata: input.metadata ?? {},
    }),
  )
  return toTestClockDto(row)
}

export async function getTestClock(tx: Tx, principal: Principal, clockId: string): Promise<TestClockDto> {
  const row = await repo.findClock(tx, requireTenant(principal), clockId)
  if (!row) throw notFound('test clock', clockId)
  return toTestClockDto(row)
}

export async function listTestClocks(tx: Tx, principal: Principal, query: { limit: number; starting_after?: string }) {
  const rows = await repo.listClocks(tx, requireTenant(principal), { limit: query.limit, startingAfter: query.starting_after })
  return page(rows.map(toTestClockDto), query.limit)
}

/** Moves an attached clock forward; the caller then runs the tenant's engine as of the new time. */
export async function advanceTestClock(tx: Tx, principal: Principal, clockId: string, to: string): Promise<TestClockDto> {
  const tenantId = requireTenant(principal)
  const clock = await repo.findClock(tx, tenantId, clockId, true)
  if (!clock) throw notFound('test clock', clockId)
  if (!clock.attached) throw new AppError('unprocessable', `Test clock ${clockId} is detached.`)
  const target = new Date(to)
  const days = (target.getTime() - clock.frozenTime.getTime()) / 86_400_000
  if (days <= 0 || days > MAX_ADVANCE_DAYS) {
    throw new AppError('unprocessable', `frozen_time must be later than ${clock.frozenTime.toISOString()} by at most ${MAX_ADVANCE_DAYS} days.`, [
      { path: 'body.frozen_time', message: 'Must move the clock forward, by at most 400 days' },
    ])
  }
  return toTestClockDto(await repo.updateClock(tx, tenantId, clockId, { frozenTime: target }))
}

/** Detaching gives the tenant back the wall clock; the clock stays readable. */
export async function detachTestClock(tx: Tx, principal: Principal, clockId: string): Promise<TestClockDto> {
  const tenantId = requireTenant(principal)
  const clock = await repo.findClock(tx, tenantId, clockId, true)
  if (!clock) throw notFound('test clock', clockId)
  return toTestClockDto(await repo.updateClock(tx, tenantId, clockId, { attached: false }))
}
