import type { Tx } from '../../db/client.js'
import { iso } from '../../platform/api-schemas.js'
import { todayUtc } from '../../shared/dates.js'
import { figuresByDebtor, type DebtorCurrencyFigures } from './debtor-receivables.repository.js'
import type { DebtorRow } from './debtors.repository.js'
import type { DebtorBalance, DebtorDto } from './debtors.schema.js'

export interface DebtorFigures {
  balances: DebtorBalance[]
  averageDaysLate: number | null
}

export const NO_FIGURES: DebtorFigures = { balances: [], averageDaysLate: null }

function fold(rows: DebtorCurrencyFigures[]): Map<string, DebtorFigures> {
  const byDebtor = new Map<string, { balances: DebtorBalance[]; paid: number; daysLate: number }>()
  for (const row of rows) {
    const entry = byDebtor.get(row.debtorId) ?? { balances: [], paid: 0, daysLate: 0 }
    if (row.openCount > 0) entry.balances.push({ currency: row.currency, outstanding: row.outstanding, overdue: row.overdue })
    entry.paid += row.paidCount
    entry.daysLate += row.daysLateTotal
    byDebtor.set(row.debtorId, entry)
  }
  return new Map(
    [...byDebtor].map(([debtorId, e]) => [
      debtorId,
      // Days late average across currencies: it measures behaviour, not money.
      { balances: e.balances, averageDaysLate: e.paid ? Math.round((e.daysLate / e.paid) * 10) / 10 : null },
    ]),
  )
}

export function toDebtorDto(row: DebtorRow, figures: DebtorFigures): DebtorDto {
  return {
    object: 'debtor',
    id: row.debtorId,
    external_ref: row.externalRef,
    kind: row.kind,
    name: row.name,
    siren: row.siren,
    siret: row.siret,
    vat_number: row.vatNumber,
    country: row.country,
    language: row.language,
    timezone: row.timezone,
    segment: row.segment,
    contacts: row.contacts,
    address: row.address ?? null,
    lre_consent: row.lreConsentOn && row.lreConsentMeans ? { on: row.lreConsentOn, means: row.lreConsentMeans } : null,
    scenario_id: row.scenarioId,
    balances: figures.balances,
    average_days_late: figures.averageDaysLate,
    // Dispatches (letters, emails) do not exist yet; the field is part of the contract already.
    last_contact_at: null,
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

/** Debtors as the API shows them, balances included, with one aggregate query for all of them. */
export async function toDebtorDtos(tx: Tx, tenantId: string, rows: DebtorRow[]): Promise<DebtorDto[]> {
  const figures = fold(await figuresByDebtor(tx, tenantId, rows.map((r) => r.debtorId), todayUtc()))
  return rows.map((row) => toDebtorDto(row, figures.get(row.debtorId) ?? NO_FIGURES))
}
