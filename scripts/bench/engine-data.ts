import type pg from 'pg'
import { withSystem, type Db } from '../../src/db/client.js'
import { ensureDefaultScenarios } from '../../src/modules/scenarios/scenario-defaults.js'

/**
 * The engine bench's world, loaded with set-based SQL (setup, not measured): tenants with
 * Relance's default scenarios, their debtors, and open invoices whose dunning state is what earlier
 * passes would have left, so that about 5% are due at `now`.
 *
 * Per tenant, invoice k (0 ≤ k < perTenant) belongs to debtor ⌊k / 10⌋:
 * - k % 20 = 0 is due now: one in six is fresh (no case yet, fell due two days ago: its first
 *   reminder is due), the others run the default scenario and their next step (1…5) is due today;
 * - every other invoice is somewhere on the ladder with its next step on a later day (or done).
 */

/** The default scenario's step offsets (default-scenarios.ts): courtesy −5, +1, +10, +15, +25, +35, +50. */
const OFFSETS = [-5, 1, 10, 15, 25, 35, 50]

export interface EngineWorld {
  tenants: number
  debtors: number
  invoices: number
  due: number
}

export async function loadEngineWorld(
  admin: pg.Client,
  db: Db,
  opts: { tenants: number; invoicesPerTenant: number; now: Date; today: string },
): Promise<EngineWorld> {
  const { tenants, invoicesPerTenant: per } = opts
  const debtorsPerTenant = Math.ceil(per / 10)
  await admin.query(
    `insert into tenants (tenant_id, name, mode) select 'ten_bench' || lpad(t::text, 5, '0'), 'Bench tenant ' || t, 'live'
     from generate_series(1, $1::int) t`,
    [tenants],
  )
  const { rows: ids } = await admin.query<{ tenant_id: string }>(`select tenant_id from tenants where tenant_id like 'ten_bench%'`)
  // Through the service, as a tenant's first evaluation would: four at a time.
  for (let i = 0; i < ids.length; i += 4) {
    await Promise.all(ids.slice(i, i + 4).map((t) => withSystem(db, (tx) => ensureDefaultScenarios(tx, t.tenant_id))))
  }
  // Bulk load: no per-row foreign-key triggers (the rows are consistent by construction).
  await admin.query(`set session_replication_role = replica`)
  await admin.query(
    `insert into debtors (tenant_id, debtor_id, kind, name, country, language, timezone, external_ref)
     select t.tenant_id, 'dbt_' || t.tenant_id || '_' || d, case when d % 10 = 9 then 'consumer' else 'business' end,
            'Client ' || d, 'FR', 'fr', 'Europe/Paris', 'D-' || d
     from tenants t cross join generate_series(0, $1::int - 1) d where t.tenant_id like 'ten_bench%'`,
    [debtorsPerTenant],
  )
  await admin.query(
    `with offsets as (select array[${OFFSETS.join(',')}]::int[] as o),
     base as (
       select t.tenant_id, s.scenario_id, k, (k % 20 = 0) as due,
              -- due rows: 0 = fresh, 1…5 = next step index; others: days since the due date, −30…59
              case when k % 20 = 0 then (k / 20) % 6 else ((k * 13) % 90) - 30 end as v
       from tenants t join scenarios s on s.tenant_id = t.tenant_id and s.is_default
       cross join generate_series(0, $1::int - 1) k where t.tenant_id like 'ten_bench%'
     ),
     planned as (
       select b.*,
              case when b.due and b.v = 0 then -1
                   when b.due then b.v - 1
                   else coalesce((select max(i - 1) from unnest(o.o) with ordinality u(off, i) where off <= b.v), -1) end as done,
              case when b.due and b.v = 0 then 2
                   when b.due then o.o[b.v + 1]
                   else b.v end as age
       from base b, offsets o
     )
     insert into invoices (tenant_id, invoice_id, debtor_id, number, currency, amount_total, amount_tax, amount_net,
       issue_date, due_date, status, next_action_at, dunning_scenario_id, dunning_version, dunning_step, dunning_step_at,
       case_id, external_ref)
     select p.tenant_id, 'inv_' || p.tenant_id || '_' || p.k, 'dbt_' || p.tenant_id || '_' || (p.k / 10), 'F-' || p.k, 'EUR',
            1000 + (p.k * 7919) % 500000, (1000 + (p.k * 7919) % 500000) / 6, 1000 + (p.k * 7919) % 500000 - (1000 + (p.k * 7919) % 500000) / 6,
            $2::date - p.age - 30, $2::date - p.age, 'open',
            case when p.due then $3::timestamptz - interval '10 hours'
                 when p.done + 1 >= array_length(o.o, 1) then null
                 -- the next step's day, 09:00 in Paris: a later day than today
                 else (($2::date - p.age + o.o[p.done + 2]) + time '09:00') at time zone 'Europe/Paris' end,
            case when p.done >= 0 then p.scenario_id end, case when p.done >= 0 then 1 end, p.done,
            case when p.done >= 0 then (($2::date - p.age + o.o[p.done + 1]) + time '10:00') at time zone 'Europe/Paris' end,
            case when p.done >= 0 then 'case_' || p.tenant_id || '_' || p.k end, 'INV-' || p.k
     from planned p, offsets o`,
    [per, opts.today, opts.now.toISOString()],
  )
  await admin.query(`set session_replication_role = origin`)
  await admin.query('vacuum analyze')
  await admin.query('checkpoint')
  const { rows } = await admin.query<{ invoices: number; due: number; debtors: number }>(
    `select (select count(*)::int from invoices) as invoices, (select count(*)::int from debtors) as debtors,
            (select count(*)::int from invoices where next_action_at <= $1) as due`,
    [opts.now.toISOString()],
  )
  return { tenants, debtors: rows[0]!.debtors, invoices: rows[0]!.invoices, due: rows[0]!.due }
}
