import { sql } from 'drizzle-orm'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadEnv } from '../../src/config/env.js'
import { openDatabase, withSystem, withTenantRead } from '../../src/db/client.js'
import { freshDatabase, systemQuery } from '../helper.js'

// A real standby needs a second server; a second database stands in for it here: what matters is
// that read-only work goes where DATABASE_REPLICA_URL points, scoped to the tenant, and cannot write.
t.test('reads go to DATABASE_REPLICA_URL when set, read only and scoped to the tenant', async (t) => {
  const primary = await freshDatabase(t)
  const replica = await freshDatabase(t)
  for (const [db, name] of [[primary.database, 'On the primary'], [replica.database, 'On the replica']] as const) {
    await systemQuery(db, `insert into tenants (tenant_id, name, mode) values ('ten_a', $1, 'live'), ('ten_b', 'Other', 'live')`, [name])
  }
  const env = loadEnv({ DATABASE_URL: primary.url, DATABASE_REPLICA_URL: replica.url })
  const database = openDatabase(env.DATABASE_URL!, 2, { replicaUrl: env.DATABASE_REPLICA_URL })
  t.teardown(() => database.close())

  t.ok(database.hasReplica, 'the database knows it has a replica')
  const names = await withTenantRead(database, 'ten_a', (tx) => tx.execute<{ name: string }>(sql`select name from tenants`))
  t.same(names.rows, [{ name: 'On the replica' }], 'the read ran on the replica and saw only its tenant')
  const failure = await withTenantRead(database, 'ten_a', (tx) => tx.execute(sql`update tenants set name = 'x'`)).catch((e: Error) => e)
  t.match(String((failure as Error).cause), /read-only transaction/, 'a write by mistake fails instead of reaching a standby')
  const app = await buildApp({ env: loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database })
  t.teardown(() => app.close())
  const viaApp = await withTenantRead(app, 'ten_b', (tx) => tx.execute<{ name: string }>(sql`select name from tenants`))
  t.same(viaApp.rows, [{ name: 'Other' }], 'routes reach the replica through the app (request.server)')
  const onPrimary = await withSystem(database.db, (tx) => tx.execute<{ name: string }>(sql`select name from tenants where tenant_id = 'ten_a'`))
  t.equal(onPrimary.rows[0]?.name, 'On the primary', 'writes and ordinary reads still use the primary')
})

t.test('without a replica, read-only work reads the primary', async (t) => {
  const primary = await freshDatabase(t)
  t.notOk(primary.database.hasReplica)
  t.equal(primary.database.readDb, primary.database.db, 'readDb is the primary itself')
  await systemQuery(primary.database, `insert into tenants (tenant_id, name, mode) values ('ten_a', 'Solo', 'live')`)
  const names = await withTenantRead(primary.database, 'ten_a', (tx) => tx.execute<{ name: string }>(sql`select name from tenants`))
  t.same(names.rows, [{ name: 'Solo' }])
})
