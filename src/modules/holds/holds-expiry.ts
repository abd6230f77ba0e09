import { withSystem, type Db } from '../../db/client.js'
import { todayUtc } from '../../shared/dates.js'
import { emitEvents } from '../events/events.service.js'
import { wakeInvoicesOfHolds } from '../invoices/invoices.repository.js'
import { endLapsedHolds, type HoldRow } from './holds.repository.js'
import { toHoldDto } from './holds.service.js'
import { queueEventSteps } from '../engine/event-steps.js'
import { WALL_CLOCK, type ClockScope } from '../test-clocks/clock-scope.js'

/**
 * The `holds.expire` job: ends every hold whose date ran out before `today` (injectable so tests
 * and test clocks can choose the day), across all tenants, and announces each with hold.expired.
 * `scope` leaves tenants on a test clock to their clock. Returns how many holds ended.
 */
export async function expireHolds(db: Db, today: string = todayUtc(), scope: ClockScope = WALL_CLOCK, now = new Date()): Promise<number> {
  return withSystem(db, async (tx) => {
    const ended = await endLapsedHolds(tx, today, scope)
    await wakeInvoicesOfHolds(tx, ended)
    // The outbox writer is per tenant: one insert per tenant with ended holds, not one per hold.
    const byTenant = new Map<string, HoldRow[]>()
    for (const row of ended) {
      const rows = byTenant.get(row.tenantId) ?? []
      rows.push(row)
      byTenant.set(row.tenantId, rows)
    }
    for (const [tenantId, rows] of byTenant) {
      await emitEvents(
        tx,
        tenantId,
        rows.map((row) => ({ type: 'hold.expired' as const, objectId: row.holdId, object: toHoldDto(row) })),
      )
    }
    // A broken promise resumes the scenario (the invoices were woken above) and, where the
    // scenario says so, tells the debtor first.
    await queueEventSteps(
      tx,
      ended
        .filter((row) => row.status === 'broken')
        .map((row) => ({ tenantId: row.tenantId, debtorId: row.debtorId, trigger: 'promise_broken' as const, sourceId: row.holdId, invoiceIds: row.invoiceId ? [row.invoiceId] : 'open' as const, now })),
    )
    return ended.length
  })
}
