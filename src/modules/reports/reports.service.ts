import type { Tx } from '../../db/client.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { addDays } from '../../shared/dates.js'
import { notFound } from '../../shared/errors.js'
import type { ReceivablesFilter } from '../debtors/open-items.sql.js'
import { findDebtor } from '../debtors/debtors.repository.js'
import { tenantToday } from '../law/law.service.js'
import { agingRows, dsoRows } from './aging-dso.repository.js'
import { atRiskRows } from './at-risk.repository.js'
import { countback, costRatios, groupForecast } from './report-math.js'
import { stepCounts, stepMoney } from './effectiveness.repository.js'
import { forecastLines } from './forecast.repository.js'
import type {
  AgingQuery, AgingReport, AtRiskQuery, AtRiskReport, DsoQuery, DsoReport, EffectivenessQuery, EffectivenessReport,
  ForecastReport, ReportFilterQuery,
} from './reports.schema.js'

interface Scope {
  tenantId: string
  asOf: string
  filter: ReceivablesFilter
  filters: { debtor_id: string | null; segment: string | null; currency: string | null }
}

/** The tenant, the day (its clock's by default) and the filters; a debtor not of this tenant is a 404. */
async function scopeOf(tx: Tx, principal: Principal, query: ReportFilterQuery): Promise<Scope> {
  const tenantId = requireTenant(principal)
  if (query.debtor_id && !(await findDebtor(tx, tenantId, query.debtor_id))) throw notFound('debtor', query.debtor_id)
  return {
    tenantId,
    asOf: query.as_of ?? (await tenantToday(tx, tenantId)),
    filter: { debtorId: query.debtor_id, segment: query.segment, currency: query.currency },
    filters: { debtor_id: query.debtor_id ?? null, segment: query.segment ?? null, currency: query.currency ?? null },
  }
}

export async function agingReport(tx: Tx, principal: Principal, query: AgingQuery): Promise<AgingReport> {
  const s = await scopeOf(tx, principal, query)
  const rows = await agingRows(tx, s.tenantId, s.asOf, s.filter, query.group_by)
  const strip = ({ grouped: _g, key: _k, name: _n, ...buckets }: (typeof rows)[number]) => buckets
  return {
    object: 'aging_report',
    as_of: s.asOf,
    filters: s.filters,
    group_by: query.group_by ?? null,
    totals: rows.filter((r) => !r.grouped).map(strip),
    groups: rows.filter((r) => r.grouped).map((r) => ({ key: r.key, name: r.name, ...strip(r) })),
  }
}

export async function dsoReport(tx: Tx, principal: Principal, query: DsoQuery): Promise<DsoReport> {
  const s = await scopeOf(tx, principal, query)
  const rows = await dsoRows(tx, s.tenantId, s.asOf, query.period_days, s.filter)
  return {
    object: 'dso_report',
    as_of: s.asOf,
    filters: s.filters,
    period_days: query.period_days,
    currencies: rows.map((r) => ({
      currency: r.currency,
      receivables: r.receivables,
      standard: {
        period_start: addDays(s.asOf, 1 - query.period_days),
        sales_in_period: r.salesInPeriod,
        dso: r.salesInPeriod > 0 ? round1((r.receivables / r.salesInPeriod) * query.period_days) : null,
      },
      countback: countback(r.receivables, r.months),
    })),
  }
}

export async function forecastReport(tx: Tx, principal: Principal, query: ReportFilterQuery): Promise<ForecastReport> {
  const s = await scopeOf(tx, principal, query)
  const lines = await forecastLines(tx, s.tenantId, s.asOf, s.filter)
  return { object: 'forecast_report', as_of: s.asOf, filters: s.filters, weeks: groupForecast(s.asOf, lines) }
}

export async function effectivenessReport(tx: Tx, principal: Principal, query: EffectivenessQuery): Promise<EffectivenessReport> {
  const s = await scopeOf(tx, principal, query)
  // Two statements in one transaction: the counts per step, the money per step and currency.
  const counts = await stepCounts(tx, s.tenantId, s.asOf, query.period_days, query.within_days, s.filter)
  const money = await stepMoney(tx, s.tenantId, s.asOf, query.period_days, query.within_days, s.filter)
  return {
    object: 'effectiveness_report',
    as_of: s.asOf,
    filters: s.filters,
    period_start: addDays(s.asOf, 1 - query.period_days),
    within_days: query.within_days,
    steps: counts.map((c) => {
      const mine = money.filter((m) => m.step_key === c.step_key && m.channel === c.channel)
      const recovered = mine.filter((m) => m.kind === 'recovered').map(({ currency, amount }) => ({ currency, amount }))
      const cost = mine.filter((m) => m.kind === 'cost').map(({ currency, amount }) => ({ currency, amount }))
      return { ...c, paid_share: c.debts ? round4(c.debts_paid / c.debts) : null, recovered, cost, cost_per_recovered_unit: costRatios(cost, recovered) }
    }),
  }
}

export async function atRiskReport(tx: Tx, principal: Principal, query: AtRiskQuery): Promise<AtRiskReport> {
  const s = await scopeOf(tx, principal, query)
  const rows = await atRiskRows(tx, s.tenantId, s.asOf, query.lateness_rise_days, s.filter)
  return {
    object: 'at_risk_report',
    as_of: s.asOf,
    filters: s.filters,
    debtors: rows.map((r) => ({
      debtor_id: r.debtor_id,
      name: r.name,
      segment: r.segment,
      reasons: [
        ...(r.recent !== null && r.prior !== null && r.recent - r.prior >= query.lateness_rise_days ? (['lateness_rising'] as const) : []),
        ...(r.broken_promises > 0 ? (['broken_promises'] as const) : []),
        ...(r.refused > 0 ? (['registered_letters_refused'] as const) : []),
      ],
      recent_avg_days_late: r.recent,
      prior_avg_days_late: r.prior,
      broken_promises: r.broken_promises,
      registered_letters_refused: r.refused,
    })),
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10
const round4 = (n: number) => Math.round(n * 10_000) / 10_000
