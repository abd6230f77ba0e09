import type pg from 'pg'
import { COORDINATOR_LOCAL_TABLES, REFERENCE_TABLES } from '../../src/db/distribution.js'

/**
 * Tables that are not distributed by tenant: Citus reference tables (copied to every node) or
 * tables local to the coordinator. Each entry says why; docs/scaling.md lists the same set.
 */
export const GLOBAL_TABLES: ReadonlySet<string> = new Set([...REFERENCE_TABLES.keys(), ...COORDINATOR_LOCAL_TABLES])

export interface KeyOffence {
  table: string
  key: string
  kind: 'primary key' | 'unique' | 'foreign key'
  columns: string[]
}

/**
 * Every primary key, unique constraint, unique index and foreign key (both ends) in `public` whose
 * first column is not tenant_id, outside the allow-list. Citus can only enforce uniqueness and
 * foreign keys of a table distributed by tenant_id when the key includes it; leading with it also
 * means a tenant's lookups hit one shard through the index prefix.
 */
export async function keysNotLedByTenant(pool: pg.Pool): Promise<KeyOffence[]> {
  const { rows } = await pool.query<{ table: string; key: string; kind: string; columns: string[]; referenced: string | null; ref_columns: string[] | null }>(`
    with keys as (
      select c.relname as table, con.conname as key,
             case con.contype when 'p' then 'primary key' when 'u' then 'unique' else 'foreign key' end as kind,
             array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, i)
                   join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.i) as columns,
             rc.relname::text as referenced,
             array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, i)
                   join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.i) as ref_columns
      from pg_constraint con
      join pg_class c on c.oid = con.conrelid
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_class rc on rc.oid = con.confrelid
      where n.nspname = 'public' and con.contype in ('p', 'u', 'f')
      union all
      -- unique indexes that are not the index behind a constraint above
      select c.relname, ic.relname, 'unique',
             array(select coalesce(a.attname::text, '(expression)') from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
                   left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.ord),
             null, null
      from pg_index i
      join pg_class c on c.oid = i.indrelid
      join pg_class ic on ic.oid = i.indexrelid
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and i.indisunique
        and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid)
    )
    select * from keys order by 1, 2`)
  const offences: KeyOffence[] = []
  for (const row of rows) {
    const kind = row.kind as KeyOffence['kind']
    if (kind === 'foreign key') {
      // A key into a reference table needs no tenant_id; a key between distributed tables must
      // carry tenant_id at the same position on both sides, or Citus cannot co-locate the join.
      if (GLOBAL_TABLES.has(row.referenced ?? '')) continue
      if (GLOBAL_TABLES.has(row.table)) {
        offences.push({ table: row.table, key: row.key, kind, columns: row.columns })
        continue
      }
      if (row.columns[0] !== 'tenant_id' || row.ref_columns?.[0] !== 'tenant_id') {
        offences.push({ table: row.table, key: row.key, kind, columns: row.columns })
      }
      continue
    }
    if (GLOBAL_TABLES.has(row.table)) continue
    if (row.columns[0] !== 'tenant_id') offences.push({ table: row.table, key: row.key, kind, columns: row.columns })
  }
  return offences
}
