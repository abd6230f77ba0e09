import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { requirePlatform, requireTenant, type Principal } from '../../platform/auth.js'
import { todayUtc } from '../../shared/dates.js'
import { AppError, notFound } from '../../shared/errors.js'
import { invoicesAsOf } from '../debtors/open-items.sql.js'
import { tenantNow } from '../test-clocks/test-clocks.service.js'
import type { LawDebtorKind } from './country-law.js'
import { requireLaw } from './countries/registry.js'
import { formatRate, parseRate } from './decimal-rate.js'
import { formalNoticeDateSql } from './formal-notice.js'
import { loadRateTables, tenantCountry } from './governing-law.js'
import { insertLawRate, listLawRates, type LawRateRow } from './law-rates.repository.js'
import type { CreateLawRateInput, LawRateDto, PenaltyDto, PenaltyQuery } from './law.schema.js'

const toDto = (row: LawRateRow): LawRateDto => ({
  object: 'law_rate',
  series: row.series,
  valid_from: row.validFrom,
  rate: row.rate,
  source: row.source,
  created_at: row.createdAt.toISOString(),
})

export async function listRates(tx: Tx, series?: LawRateRow['series']) {
  return { object: 'list' as const, data: (await listLawRates(tx, series)).map(toDto) }
}

/** A newly published rate (platform operators only: the tables are shared by every tenant). */
export async function addRate(tx: Tx, principal: Principal, input: CreateLawRateInput): Promise<LawRateDto> {
  requirePlatform(principal)
  // A platform key acting for a tenant (Relance-Tenant) still writes the shared table as system code.
  await tx.execute(sql`select set_config('app.scope', 'system', true)`)
  const rate = formatRate(parseRate(input.rate))
  const inserted = await insertLawRate(tx, { series: input.series, validFrom: input.valid_from, rate, source: input.source ?? null })
  if (!inserted) {
    throw new AppError('conflict', `${input.series} already has a rate from ${input.valid_from}; published rates are never changed.`, [
      { path: 'body.valid_from', message: 'Already in the table' },
    ])
  }
  const row = (await listLawRates(tx, input.series)).find((r) => r.validFrom === input.valid_from)!
  return toDto(row)
}

/** The tenant's day: its test clock's when one is attached, else the UTC date. */
export async function tenantToday(tx: Tx, tenantId: string): Promise<string> {
  return todayUtc(await tenantNow(tx, tenantId))
}

/** A day before the first rate of a table is a gap in the data, not a server fault. */
function guardRange<T>(fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof RangeError) throw new AppError('unprocessable', `The rate tables do not cover this period: ${error.message}.`)
    throw error
  }
}

type PenaltyFacts = {
  debtor_id: string
  debtor_kind: LawDebtorKind
  currency: string
  due_date: string
  amount_due: string
  formal_notice_date: string | null
}

/**
 * Penalties and the fixed indemnity on one invoice as of a day, with the breakdown a letter or a
 * judge can follow, under the tenant's country law (a 422 naming `tenant.country` when Relance
 * has no module for it: this answer is nothing but a statutory computation).
 */
export async function penaltyForInvoice(tx: Tx, principal: Principal, query: PenaltyQuery): Promise<PenaltyDto> {
  const tenantId = requireTenant(principal)
  const asOf = query.as_of ?? (await tenantToday(tx, tenantId))
  const result = await tx.execute<PenaltyFacts>(sql`
    select i.debtor_id, i.debtor_kind, i.currency, i.due_date::text as due_date, greatest(i.amount_due, 0) as amount_due,
      ${formalNoticeDateSql(sql`i.tenant_id`, sql`i.debtor_id`, sql`i.invoice_id`, sql`${asOf}`)} as formal_notice_date
    from ${invoicesAsOf(tenantId, asOf, { invoiceId: query.invoice_id })} i`)
  const facts = result.rows[0]
  if (!facts) throw notFound('invoice', query.invoice_id)
  const country = await tenantCountry(tx, tenantId)
  const law = requireLaw(country)
  const amountDue = Number(facts.amount_due)
  const tables = await loadRateTables(tx, law)
  const penalty = guardRange(() => law.latePenalty({
    amountDue,
    currency: facts.currency,
    dueDate: facts.due_date,
    asOf,
    debtorKind: facts.debtor_kind,
    formalNoticeDate: facts.formal_notice_date ?? undefined,
    contractRate: query.contract_rate,
    tables,
  }))
  const indemnity = law.recoveryIndemnity({ debtorKind: facts.debtor_kind, daysLate: amountDue > 0 ? penalty.daysLate : 0 })
  return {
    object: 'late_penalty',
    invoice_id: query.invoice_id,
    debtor_id: facts.debtor_id,
    debtor_kind: facts.debtor_kind,
    country: law.country,
    as_of: asOf,
    due_date: facts.due_date,
    amount_due: amountDue,
    currency: facts.currency,
    basis: penalty.basis,
    formal_notice_date: facts.formal_notice_date,
    days_late: penalty.daysLate,
    accrues_from: penalty.accruesFrom,
    periods: penalty.periods,
    amount: penalty.amount,
    rate: penalty.rate,
    warnings: penalty.warnings,
    indemnity,
  }
}
