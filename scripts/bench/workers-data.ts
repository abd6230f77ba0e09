import type pg from 'pg'
import { withSystem, withTenant, type Db } from '../../src/db/client.js'
import { createConnection, type ConnectionDeps } from '../../src/modules/channels/connections.service.js'
import { ensureDefaultScenarios } from '../../src/modules/scenarios/scenario-defaults.js'

/**
 * One batch of the workers bench (setup, not measured): live tenants with the default scenario and
 * an SMTP connection to the sink, debtors with an email contact, and open invoices that fell due
 * two days before `today`, so that at `now` each debtor's first reminder (one email covering all of
 * its invoices) is due. Tenant ids carry the batch name, so batches never overlap.
 */
export interface WorkersBatch {
  name: string
  tenants: number
  debtorsPerTenant: number
  invoicesPerDebtor: number
}

export async function loadWorkersBatch(
  admin: pg.Client,
  db: Db,
  deps: ConnectionDeps,
  batch: WorkersBatch,
  opts: { now: Date; today: string; smtpPort: number },
): Promise<{ invoices: number; debtors: number }> {
  const prefix = `ten_${batch.name}_`
  const { rows: tenants } = await admin.query<{ tenant_id: string }>(
    `insert into tenants (tenant_id, name, mode) select $1 || lpad(t::text, 4, '0'), 'Bench ' || t, 'live'
     from generate_series(1, $2::int) t returning tenant_id`,
    [prefix, batch.tenants],
  )
  for (const { tenant_id: tenantId } of tenants) {
    await withSystem(db, (tx) => ensureDefaultScenarios(tx, tenantId))
    const principal = { kind: 'tenant' as const, keyId: 'key_bench', tenantId, mode: 'live' as const }
    await withTenant(db, tenantId, (tx) =>
      createConnection(tx, principal, deps, {
        name: 'Bench SMTP',
        driver: 'email-smtp',
        channels: ['email'],
        mode: 'live',
        credentials: { user: 'bench', pass: 'bench' },
        settings: { host: '127.0.0.1', port: opts.smtpPort, secure: false },
        sender: { name: 'Bench SAS', email: 'compta@bench.test' },
        enabled: true,
      }),
    )
  }
  await admin.query(
    `insert into debtors (tenant_id, debtor_id, kind, name, country, language, timezone, contacts, external_ref)
     select t.tenant_id, 'dbt_' || t.tenant_id || '_' || d, 'business', 'Client ' || d, 'FR', 'fr', 'Europe/Paris',
            jsonb_build_array(jsonb_build_object('email', 'd' || d || '@' || replace(t.tenant_id, '_', '-') || '.test')), 'D-' || d
     from tenants t cross join generate_series(0, $2::int - 1) d where t.tenant_id like $1 || '%'`,
    [prefix, batch.debtorsPerTenant],
  )
  await admin.query(
    `insert into invoices (tenant_id, invoice_id, debtor_id, number, currency, amount_total, amount_tax, amount_net,
       issue_date, due_date, status, next_action_at, dunning_step, external_ref)
     select t.tenant_id, 'inv_' || t.tenant_id || '_' || d || '_' || i, 'dbt_' || t.tenant_id || '_' || d, 'F-' || d || '-' || i, 'EUR',
            12000, 2000, 10000, $3::date - 32, $3::date - 2, 'open', $4::timestamptz - interval '10 hours', -1, 'INV-' || d || '-' || i
     from tenants t cross join generate_series(0, $2::int - 1) d cross join generate_series(0, $5::int - 1) i
     where t.tenant_id like $1 || '%'`,
    [prefix, batch.debtorsPerTenant, opts.today, opts.now.toISOString(), batch.invoicesPerDebtor],
  )
  await admin.query('analyze')
  return { invoices: batch.tenants * batch.debtorsPerTenant * batch.invoicesPerDebtor, debtors: batch.tenants * batch.debtorsPerTenant }
}
