import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { formatRate, parseRate } from './decimal-rate.js'
import type { LawRateSeries } from './law-rates.tables.js'

export interface LawRateRow {
  series: LawRateSeries
  validFrom: string
  /** Shortest decimal string ("2.15"), whatever numeric(9,6) pads it to. */
  rate: string
  source: string | null
  createdAt: Date
}

export async function listLawRates(tx: Tx, series?: LawRateSeries): Promise<LawRateRow[]> {
  const result = await tx.execute<{ series: LawRateSeries; valid_from: string; rate: string; source: string | null; created_at: string }>(sql`
    select series, valid_from::text as valid_from, rate::text as rate, source,
      to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at
    from law_rates ${series ? sql`where series = ${series}` : sql``}
    order by series, valid_from`)
  return result.rows.map((r) => ({
    series: r.series,
    validFrom: r.valid_from,
    rate: formatRate(parseRate(r.rate)),
    source: r.source,
    createdAt: new Date(r.created_at),
  }))
}

/** Inserts one published rate; false when the series already has a rate from that date. */
export async function insertLawRate(tx: Tx, row: { series: LawRateSeries; validFrom: string; rate: string; source: string | null }): Promise<boolean> {
  const result = await tx.execute(sql`
    insert into law_rates (series, valid_from, rate, source)
    values (${row.series}, ${row.validFrom}::date, ${row.rate}::numeric, ${row.source})
    on conflict (series, valid_from) do nothing`)
  return (result.rowCount ?? 0) > 0
}
