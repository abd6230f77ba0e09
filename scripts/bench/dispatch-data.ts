import type pg from 'pg'
import { resolveSecretKey, seal } from '../../src/shared/secret-box.js'

/**
 * The dispatch bench's world, loaded with set-based SQL (setup, not measured): live tenants, each
 * with an `sms-http` connection to the SMS simulator, debtors with a phone number, one open
 * invoice each, and a first-reminder SMS queued for each, as the engine would have left it.
 */
export async function loadDispatchWorld(admin: pg.Client, opts: { tenants: number; dispatches: number; smsUrl: string }): Promise<void> {
  const perTenant = Math.ceil(opts.dispatches / opts.tenants)
  // The bench process resolves the same development key as the pump it runs.
  const sealed = seal(resolveSecretKey({ NODE_ENV: 'development' }), JSON.stringify({ token: 'bench-sms-token' }))
  await admin.query(
    `insert into tenants (tenant_id, name, mode) select 'ten_dsp' || lpad(t::text, 5, '0'), 'Bench tenant ' || t, 'live'
     from generate_series(1, $1::int) t`,
    [opts.tenants],
  )
  await admin.query(
    `insert into channel_connections (tenant_id, connection_id, name, driver, channels, mode, credentials_sealed, credential_hints, settings, sender)
     select tenant_id, 'chc_' || tenant_id, 'SMS gateway', 'sms-http', array['sms'], 'live', $1, '{"token":"••••oken"}',
            jsonb_build_object('url', $2::text), jsonb_build_object('name', name, 'phone', '+33100000000')
     from tenants where tenant_id like 'ten_dsp%'`,
    [sealed, opts.smsUrl],
  )
  await admin.query(`set session_replication_role = replica`)
  await admin.query(
    `insert into debtors (tenant_id, debtor_id, kind, name, country, language, timezone, contacts)
     select t.tenant_id, 'dbt_' || t.tenant_id || '_' || d, 'business', 'Client ' || d, 'FR', 'fr', 'Europe/Paris',
            jsonb_build_array(jsonb_build_object('name', 'Compta', 'phone', '+336' || lpad(d::text, 8, '0')))
     from tenants t cross join generate_series(0, $1::int - 1) d where t.tenant_id like 'ten_dsp%'`,
    [perTenant],
  )
  await admin.query(
    `insert into invoices (tenant_id, invoice_id, debtor_id, number, currency, amount_total, amount_tax, amount_net,
       issue_date, due_date, status, dunning_step, dunning_step_at, case_id)
     select tenant_id, 'inv_' || debtor_id, debtor_id, 'F-' || debtor_id, 'EUR', 120000, 20000, 100000,
            date '2026-02-01', date '2026-03-02', 'open', 1, timestamptz '2026-03-18T09:00:00Z', 'case_' || debtor_id
     from debtors where tenant_id like 'ten_dsp%'`,
  )
  await admin.query(
    `insert into dispatches (tenant_id, dispatch_id, debtor_id, step_key, channel, template, language, scenario_id, scenario_version, scheduled_at, details)
     select tenant_id, 'dsp_' || debtor_id, debtor_id, 'first_reminder', 'sms', 'reminder_first', 'fr', 'scn_bench', 1,
            timestamptz '2026-03-18T09:00:00Z', jsonb_build_object('invoice_ids', jsonb_build_array('inv_' || debtor_id))
     from debtors where tenant_id like 'ten_dsp%'`,
  )
  await admin.query(
    `insert into dispatch_items (tenant_id, dispatch_id, invoice_id, case_id, step_key)
     select tenant_id, 'dsp_' || debtor_id, 'inv_' || debtor_id, 'case_' || debtor_id, 'first_reminder' from debtors where tenant_id like 'ten_dsp%'`,
  )
  await admin.query(`set session_replication_role = origin`)
  await admin.query('vacuum analyze')
}

/** Puts every dispatch back in the queue, pointed at another simulator: the next phase starts from the same world. */
export async function resetDispatches(admin: pg.Client, smsUrl: string): Promise<void> {
  await admin.query(`update channel_connections set settings = jsonb_build_object('url', $1::text)`, [smsUrl])
  await admin.query(`delete from dispatch_events`)
  await admin.query(`delete from events`)
  await admin.query(
    `update dispatches set status = 'queued', attempts = 0, sending_since = null, sent_at = null, provider_ref = null,
       connection_id = null, driver = null, content = null, failure_code = null, failure_reason = null`,
  )
  await admin.query('vacuum analyze')
  await admin.query('checkpoint')
}
