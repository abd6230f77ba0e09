import t from 'tap'
import { REFERENCE_TABLES } from '../../src/db/distribution.js'
import { freshDatabase } from '../helper.js'
import { GLOBAL_TABLES, keysNotLedByTenant } from './tenant-keys.js'

// Citus co-locates a tenant's rows on one node only if every table is distributed by tenant_id and
// every key carries it (docs/scaling.md); these tests keep the migrated schema that way.

t.test('every primary key, unique constraint or index and foreign key of a tenant table leads with tenant_id', async (t) => {
  const { database } = await freshDatabase(t)
  t.same(await keysNotLedByTenant(database.pool), [], 'no key misses tenant_id in front')
})

t.test('every table outside the allow-list has tenant_id and a primary key', async (t) => {
  const { database } = await freshDatabase(t)
  const { rows } = await database.pool.query<{ table: string; tenant: boolean; pk: boolean }>(
    `select c.relname as table,
            exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as tenant,
            exists (select 1 from pg_constraint p where p.conrelid = c.oid and p.contype = 'p') as pk
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`,
  )
  t.ok(rows.length > 20, `the schema has its tables (${rows.length})`)
  const distributed = rows.filter((r) => !GLOBAL_TABLES.has(r.table))
  t.same(distributed.filter((r) => !r.tenant || !r.pk).map((r) => r.table), [], 'each one can be distributed by tenant_id')
  const present = new Set(rows.map((r) => r.table))
  t.same([...REFERENCE_TABLES.keys()].filter((name) => !present.has(name)), [], 'every reference table named in the allow-list exists')
})

t.test('the check names a key that does not lead with tenant_id', async (t) => {
  const { database } = await freshDatabase(t)
  await database.pool.query('create unique index invoices_number_global_key on invoices (number, tenant_id)')
  await database.pool.query('create table stray (id text primary key, tenant_id text references tenants (tenant_id))')
  const offences = await keysNotLedByTenant(database.pool)
  t.same(
    offences.map((o) => `${o.kind} ${o.key}`).sort(),
    ['primary key stray_pkey', 'unique invoices_number_global_key'],
    'a unique index led by another column and a primary key without tenant_id are reported',
  )
})
