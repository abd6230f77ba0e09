import { eq, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Tx } from '../../db/client.js'
import type { LineResult, ValidLine } from './bulk-types.js'

export interface Upserted<R> {
  row: R
  inserted: boolean
}

type RefTable = PgTable & { tenantId: PgColumn; externalRef: PgColumn }

/** Ids of rows the upsert left alone (identical): the answer still names them. A join on unnest keeps
 * the plan an index probe per ref even before the table has statistics. */
export async function idsByRef(tx: Tx, table: RefTable, id: PgColumn, tenantId: string, refs: string[]): Promise<Map<string, string>> {
  if (!refs.length) return new Map()
  const rows = await tx
    .select({ id, ref: table.externalRef })
    .from(table)
    .innerJoin(sql`unnest(${sql.param(refs)}::text[]) as r(ref)`, sql`${table.externalRef} = r.ref`)
    .where(eq(table.tenantId, tenantId))
  return new Map(rows.map((r) => [r.ref as string, r.id as string]))
}

/** created / updated / unchanged per line, in line order; `onChange` sees each written row once. */
export function outcomes<T, R>(
  lines: ValidLine<T>[],
  byRef: Map<string, Upserted<R>>,
  unchangedIds: Map<string, string>,
  idOf: (u: Upserted<R>) => string,
  onChange: (u: Upserted<R>) => void,
): LineResult[] {
  return lines.map((l) => {
    const u = byRef.get(l.ref)
    if (!u) return { line: l.line, external_ref: l.ref, status: 'unchanged', id: unchangedIds.get(l.ref) }
    onChange(u)
    return { line: l.line, external_ref: l.ref, status: u.inserted ? 'created' : 'updated', id: idOf(u) }
  })
}
