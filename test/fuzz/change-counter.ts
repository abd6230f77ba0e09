import type { Database } from '../../src/db/client.js'

/**
 * Counts committed row changes in every application table with a row-level trigger feeding one
 * counter row: a rolled-back change leaves the counter as it was, a committed one moves it. One
 * cheap read after each request tells whether a rejected request changed the database.
 * Left out: idempotency_keys (a key's bookkeeping, not the tenant's data) and Agenda's tables.
 */
export async function installChangeCounter(database: Database): Promise<() => Promise<number>> {
  const pool = database.pool
  await pool.query(`
    create table fuzz_changes (n bigint not null);
    insert into fuzz_changes values (0);
    create function fuzz_count_change() returns trigger language plpgsql as $$
    begin
      update fuzz_changes set n = n + 1;
      return null;
    end $$;`)
  const { rows } = await pool.query<{ relname: string }>(
    `select relname from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p')
       and not relispartition and relname not like 'agenda%' and relname not in ('fuzz_changes', 'idempotency_keys', '__drizzle_migrations')`,
  )
  for (const { relname } of rows) {
    await pool.query(`create trigger fuzz_change after insert or update or delete on "${relname}" for each row execute function fuzz_count_change()`)
  }
  return async () => Number((await pool.query<{ n: string }>('select n from fuzz_changes')).rows[0]!.n)
}
