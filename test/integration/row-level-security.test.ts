import t from 'tap'
import { buildTestApp, createTenant } from '../helper.js'

t.test('row-level security hides every tenant row from a transaction without the tenant setting', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createTenant(ctx, { name: 'A' })
  await createTenant(ctx, { name: 'B' })
  const pool = ctx.database.pool

  const role = await pool.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
    'select rolsuper, rolbypassrls from pg_roles where rolname = current_user',
  )
  t.same(role.rows[0], { rolsuper: false, rolbypassrls: false }, 'the app role is subject to policies')

  for (const table of ['tenants', 'api_keys', 'idempotency_keys', 'platform_keys']) {
    const bare = await pool.query(`select count(*)::int as n from ${table}`)
    t.equal(bare.rows[0].n, 0, `${table}: nothing visible without app.tenant_id`)
  }

  const client = await pool.connect()
  try {
    await client.query('begin')
    await client.query(`select set_config('app.tenant_id', $1, true)`, [a.tenantId])
    const visible = await client.query('select tenant_id from api_keys')
    t.same(
      visible.rows.map((r) => r.tenant_id),
      [a.tenantId],
      "tenant A's transaction sees only A's keys",
    )
    await t.rejects(
      client.query(`insert into api_keys (tenant_id, key_id, name, prefix, key_hash) values ('ten_other', 'key_x', 'x', 'x', 'x')`),
      /row-level security/,
      "and cannot write another tenant's row",
    )
    await client.query('rollback')
  } finally {
    client.release()
  }

  const forced = await pool.query<{ relname: string }>(
    `select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and not relforcerowsecurity
       and relname not like 'agenda%'`,
  )
  t.same(forced.rows, [], 'every table forces row-level security, owner included')
})
