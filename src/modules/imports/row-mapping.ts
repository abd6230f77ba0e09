import { getTableColumns, type Table } from 'drizzle-orm'

/**
 * Maps a row of raw SQL (`returning *`) to the table's typed record, the way Drizzle's own selects
 * do (bigint to number, timestamps to Date, jsonb parsed): set-based statements keep typed results.
 */
export function mapRow<T extends Table>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  const out: Record<string, unknown> = {}
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name]
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value)
  }
  return out as T['$inferSelect']
}
