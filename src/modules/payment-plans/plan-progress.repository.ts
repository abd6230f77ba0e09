import { clockScopeFilter, type ClockScope } from '../test-clocks/clock-scope.js'
import { sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import type { PlanKey } from './payment-plans.repository.js'

/** Which active plans a statement looks at: all of them (the job), or those over some invoices of a tenant. */
export type PlanScope = { tenantId: string; invoiceIds: string[] } | 'all'

function scoped(scope: PlanScope): SQL {
  if (scope === 'all') return sql``
  return sql`and p.tenant_id = ${scope.tenantId} and p.invoice_ids && ${sql.param(scope.invoiceIds)}::text[]`
}

const keys = (rows: { tenant_id: string; plan_id: string }[]): PlanKey[] =>
  rows.map((r) => ({ tenantId: r.tenant_id, planId: r.plan_id }))

/**
 * Recomputes what each active plan has received: the growth of paid + credited on its invoices
 * since it began, allocated to its instalments in order (each takes what the earlier ones leave,
 * up to its amount). A covered instalment is paid; one uncovered again (a payment reversed) goes
 * back to pending. One statement for any number of plans.
 */
export async function refreshProgress(tx: Tx, scope: PlanScope): Promise<void> {
  await tx.execute(sql`
    with received as (
      select p.tenant_id, p.plan_id,
        greatest(0, coalesce(sum(i.amount_paid + i.amount_credited), 0) - p.settled_at_start) as paid
      from payment_plans p
      join invoices i on i.tenant_id = p.tenant_id and i.invoice_id = any(p.invoice_ids)
      where p.status = 'active' ${scoped(scope)}
      group by p.tenant_id, p.plan_id, p.settled_at_start
    ), allocated as (
      select x.tenant_id, x.plan_id, x.sequence,
        least(x.amount, greatest(0, r.paid - (sum(x.amount) over w - x.amount))) as amount_paid
      from payment_plan_instalments x
      join received r on r.tenant_id = x.tenant_id and r.plan_id = x.plan_id
      window w as (partition by x.tenant_id, x.plan_id order by x.sequence)
    ), changed as (
      update payment_plan_instalments x set
        amount_paid = a.amount_paid,
        status = case when a.amount_paid >= x.amount then 'paid' when x.status = 'paid' then 'pending' else x.status end
      from allocated a
      where x.tenant_id = a.tenant_id and x.plan_id = a.plan_id and x.sequence = a.sequence
        and x.amount_paid <> a.amount_paid
      returning x.tenant_id, x.plan_id
    )
    update payment_plans p set updated_at = now()
    from (select distinct tenant_id, plan_id from changed) c
    where p.tenant_id = c.tenant_id and p.plan_id = c.plan_id`)
}

/** Active plans whose every instalment is paid become completed. */
export async function completeCoveredPlans(tx: Tx, scope: PlanScope): Promise<PlanKey[]> {
  const result = await tx.execute<{ tenant_id: string; plan_id: string }>(sql`
    update payment_plans p set status = 'completed', updated_at = now()
    where p.status = 'active' ${scoped(scope)}
      and not exists (
        select 1 from payment_plan_instalments x
        where x.tenant_id = p.tenant_id and x.plan_id = p.plan_id and x.status <> 'paid'
      )
    returning p.tenant_id, p.plan_id`)
  return keys(result.rows)
}

/**
 * Across every tenant: an instalment of an active plan whose due date is before `today` and that
 * is not covered is missed, and its plan is breached.
 */
export async function breachLatePlans(tx: Tx, today: string, scope: ClockScope): Promise<PlanKey[]> {
  const result = await tx.execute<{ tenant_id: string; plan_id: string; invoice_ids: string[] }>(sql`
    with missed as (
      update payment_plan_instalments x set status = 'missed'
      from payment_plans p
      where x.status = 'pending' and x.due_date < ${today}::date and x.amount_paid < x.amount
        and p.tenant_id = x.tenant_id and p.plan_id = x.plan_id and p.status = 'active'
        and ${clockScopeFilter(scope, sql`x.tenant_id`)}
      returning x.tenant_id, x.plan_id
    )
    update payment_plans p set status = 'breached', breached_at = now(), updated_at = now()
    from (select distinct tenant_id, plan_id from missed) m
    where p.tenant_id = m.tenant_id and p.plan_id = m.plan_id and p.status = 'active'
    returning p.tenant_id, p.plan_id, p.invoice_ids`)
  // A broken plan hands its invoices back to the engine, which resumes their scenario.
  await tx.execute(sql`
    update invoices i set next_action_at = 'epoch'
    from (select unnest(${sql.param(result.rows.map((r) => r.tenant_id))}::text[]) as tenant_id,
                 unnest(${sql.param(result.rows.map((r) => r.invoice_ids.join(',')))}::text[]) as ids) b
    where i.tenant_id = b.tenant_id and i.invoice_id = any(string_to_array(b.ids, ','))
      and i.status in ('open', 'partially_paid')`)
  return keys(result.rows)
}
