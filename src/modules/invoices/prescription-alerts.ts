import { sql } from 'drizzle-orm'
import { withSystem, type Db } from '../../db/client.js'
import { emitEvents } from '../events/events.service.js'
import { lawFor, SUPPORTED_LAW_COUNTRIES } from '../law/countries/registry.js'
import { clockScopeFilter, WALL_CLOCK, type ClockScope } from '../test-clocks/clock-scope.js'
import { invoiceDtosByIds } from './invoices.mapper.js'

/**
 * Each supported country's prescription date as one SQL expression over invoice `i`, debtor `d`
 * and tenant `t`; tenants of a country without a module get null (no date, so no alert).
 */
function prescriptionDateSql() {
  const cases = SUPPORTED_LAW_COUNTRIES.map((country) => sql`when ${country} then ${lawFor(country)!.prescriptionDateSql(sql`i.due_date`, sql`d.kind`)}`)
  return sql`(case t.country ${sql.join(cases, sql` `)} else null end)`
}

/**
 * The `prescription.alerts` job: announces, once per invoice, that a debt still owed will be
 * time-barred within `leadDays` (its prescription date, as the invoice shows it, from the tenant
 * country's law module). Past that date the creditor can no longer sue: the event is the last call
 * to act (a claim in court, or an acknowledgement from the debtor).
 */
export async function alertPrescriptions(db: Db, today: string, leadDays: number, scope: ClockScope = WALL_CLOCK): Promise<number> {
  return withSystem(db, async (tx) => {
    const flagged = await tx.execute<{ tenant_id: string; invoice_id: string }>(sql`
      update invoices i set prescription_alerted_at = now()
      from debtors d, tenants t
      where d.tenant_id = i.tenant_id and d.debtor_id = i.debtor_id and t.tenant_id = i.tenant_id
        and i.status in ('open', 'partially_paid', 'disputed') and i.prescription_alerted_at is null
        and ${prescriptionDateSql()} <= ${today}::date + ${leadDays}::int
        and ${clockScopeFilter(scope, sql`i.tenant_id`)}
      returning i.tenant_id, i.invoice_id`)
    const byTenant = new Map<string, string[]>()
    for (const row of flagged.rows) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.invoice_id])
    for (const [tenantId, ids] of byTenant) {
      const dtos = await invoiceDtosByIds(tx, tenantId, ids)
      await emitEvents(
        tx,
        tenantId,
        [...dtos.values()].map((dto) => ({ type: 'invoice.prescription_approaching' as const, objectId: dto.id, object: dto })),
      )
    }
    return flagged.rows.length
  })
}
