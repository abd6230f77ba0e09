import type { Tx } from '../../db/client.js'
import { page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { assertIfMatch } from '../../platform/etag.js'
import { todayUtc } from '../../shared/dates.js'
import { AppError, notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import { emitEvent } from '../events/events.service.js'
import { registrationIdConflicts } from './debtor-fields.js'
import { openItemsAsOf } from './debtor-receivables.repository.js'
import { buildStatement, type StatementDto } from './debtor-statement.js'
import { NO_FIGURES, toDebtorDto, toDebtorDtos } from './debtors.mapper.js'
import { assertAssignable } from '../scenarios/scenario-rules.service.js'
import * as repo from './debtors.repository.js'
import type { CreateDebtorInput, DebtorDto, ListDebtorsQuery, UpdateDebtorInput } from './debtors.schema.js'

async function load(tx: Tx, tenantId: string, debtorId: string, forUpdate = false) {
  const row = await repo.findDebtor(tx, tenantId, debtorId, forUpdate)
  if (!row) throw notFound('debtor', debtorId)
  const [dto] = await toDebtorDtos(tx, tenantId, [row])
  return dto!
}

export async function createDebtor(tx: Tx, principal: Principal, input: CreateDebtorInput): Promise<DebtorDto> {
  const tenantId = requireTenant(principal)
  // Unchecked, a debtor could point at another tenant's scenario (found by the isolation matrix).
  if (input.scenario_id) await assertAssignable(tx, tenantId, input.scenario_id)
  const row = await uniqueExternalRef('debtor', input.external_ref, () =>
    repo.insertDebtor(tx, {
      tenantId,
      debtorId: newId('debtor'),
      kind: input.kind,
      name: input.name,
      siren: input.siren ?? null,
      siret: input.siret ?? null,
      vatNumber: input.vat_number ?? null,
      country: input.country,
      language: input.language,
      timezone: input.timezone,
      segment: input.segment ?? null,
      contacts: input.contacts ?? [],
      address: input.address ?? null,
      lreConsentOn: input.lre_consent?.on ?? null,
      lreConsentMeans: input.lre_consent?.means ?? null,
      scenarioId: input.scenario_id ?? null,
      externalRef: input.external_ref ?? null,
      metadata: input.metadata ?? {},
    }),
  )
  // A debtor created this instant has no invoices yet: nothing to aggregate.
  const dto = toDebtorDto(row, NO_FIGURES)
  await emitEvent(tx, tenantId, { type: 'debtor.created', objectId: dto.id, object: dto })
  return dto
}

export function getDebtor(tx: Tx, principal: Principal, debtorId: string): Promise<DebtorDto> {
  return load(tx, requireTenant(principal), debtorId)
}

export async function listDebtors(tx: Tx, principal: Principal, query: ListDebtorsQuery) {
  const tenantId = requireTenant(principal)
  const rows = await repo.listDebtors(tx, tenantId, {
    limit: query.limit,
    startingAfter: query.starting_after,
    kind: query.kind,
    segment: query.segment,
    country: query.country,
    externalRef: query.external_ref,
  })
  return page(await toDebtorDtos(tx, tenantId, rows), query.limit)
}

/** A change to one identifier must still agree with the identifiers already stored. */
function assertIdsAgree(current: DebtorDto, input: UpdateDebtorInput) {
  if (input.siren === undefined && input.siret === undefined && input.vat_number === undefined) return
  const issues = registrationIdConflicts({
    siren: input.siren !== undefined ? input.siren : current.siren,
    siret: input.siret !== undefined ? input.siret : current.siret,
    vat_number: input.vat_number !== undefined ? input.vat_number : current.vat_number,
  })
  if (!issues.length) return
  const errors = issues.map((issue) => ({ path: `body.${issue.path.join('.')}`, message: issue.message }))
  throw new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors)
}

/** Only the fields the caller sent: undefined leaves a field as it is, null clears it. */
function changesFrom(input: UpdateDebtorInput): repo.DebtorChanges {
  const consent = input.lre_consent
  return {
    ...(input.kind !== undefined && { kind: input.kind }),
    ...(input.name !== undefined && { name: input.name }),
    ...(input.siren !== undefined && { siren: input.siren }),
    ...(input.siret !== undefined && { siret: input.siret }),
    ...(input.vat_number !== undefined && { vatNumber: input.vat_number }),
    ...(input.country !== undefined && { country: input.country }),
    ...(input.language !== undefined && { language: input.language }),
    ...(input.timezone !== undefined && { timezone: input.timezone }),
    ...(input.segment !== undefined && { segment: input.segment }),
    ...(input.contacts !== undefined && { contacts: input.contacts }),
    ...(input.address !== undefined && { address: input.address }),
    ...(consent !== undefined && { lreConsentOn: consent?.on ?? null, lreConsentMeans: consent?.means ?? null }),
    ...(input.scenario_id !== undefined && { scenarioId: input.scenario_id }),
    ...(input.external_ref !== undefined && { externalRef: input.external_ref }),
    ...(input.metadata !== undefined && { metadata: input.metadata }),
  }
}

export async function updateDebtor(
  tx: Tx,
  principal: Principal,
  debtorId: string,
  input: UpdateDebtorInput,
  ifMatch?: string,
): Promise<DebtorDto> {
  const tenantId = requireTenant(principal)
  const current = await load(tx, tenantId, debtorId, true)
  assertIfMatch(ifMatch, current)
  assertIdsAgree(current, input)
  if (input.scenario_id && input.scenario_id !== current.scenario_id) await assertAssignable(tx, tenantId, input.scenario_id)
  const row = await uniqueExternalRef('debtor', input.external_ref, () => repo.updateDebtor(tx, tenantId, debtorId, changesFrom(input)))
  // Editing a debtor leaves its invoices alone, so the figures just read still hold.
  const dto = toDebtorDto(row, { balances: current.balances, averageDaysLate: current.average_days_late })
  await emitEvent(tx, tenantId, { type: 'debtor.updated', objectId: debtorId, object: dto })
  return dto
}

export async function getStatement(tx: Tx, principal: Principal, debtorId: string, asOf?: string): Promise<StatementDto> {
  const tenantId = requireTenant(principal)
  const debtor = await repo.findDebtor(tx, tenantId, debtorId)
  if (!debtor) throw notFound('debtor', debtorId)
  const day = asOf ?? todayUtc()
  return buildStatement(debtorId, day, await openItemsAsOf(tx, tenantId, debtorId, day))
}
