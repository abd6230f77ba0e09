import { sql } from 'drizzle-orm'
import { check, date, numeric, pgPolicy, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

/**
 * The dated rates the law module computes with (law-fr.md: "never a constant in code").
 * - `ecb_main_refinancing`: ECB main refinancing operations rate, by decision effective date.
 * - `fr_legal_interest_professional_creditor`: taux de l'intérêt légal, "tous les autres cas"
 *   (a creditor acting for its business: what a Relance tenant is), per half-year.
 * - `fr_legal_interest_individual_creditor`: the same for private individuals, kept for completeness.
 * Seeded by migrations/0009_law_rates.sql. law-fr.md gives the rules but no rate values: the seeded
 * figures (2022 H1 legal rates 3.13 % / 0.76 % included) were checked against published sources
 * instead, all matched (docs/law.md, "Rate tables"). Nothing is seeded past 2025 H2 / 11 June 2025:
 * later rates are added through POST /v1/law/rates, never guessed here.
 */
export const LAW_RATE_SERIES = [
  'ecb_main_refinancing',
  'fr_legal_interest_professional_creditor',
  'fr_legal_interest_individual_creditor',
] as const
export type LawRateSeries = (typeof LAW_RATE_SERIES)[number]

/**
 * Reference data shared by every tenant, so not keyed by tenant: every transaction may read it,
 * only system code (a platform key) may add to it. Rows are never updated: a published rate is a fact.
 */
export const lawRates = pgTable(
  'law_rates',
  {
    series: text('series', { enum: LAW_RATE_SERIES }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    rate: numeric('rate', { precision: 9, scale: 6 }).notNull(),
    /** Where the figure was published (arrêté, ECB press release). */
    source: text('source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.series, t.validFrom] }),
    check('law_rates_rate_non_negative', sql`${t.rate} >= 0`),
    pgPolicy('law_rates_read_by_all', { as: 'permissive', for: 'select', using: sql`true` }),
    pgPolicy('law_rates_written_by_system', {
      as: 'permissive',
      for: 'insert',
      withCheck: sql`current_setting('app.scope', true) = 'system'`,
    }),
  ],
)
