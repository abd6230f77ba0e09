import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { newId } from '../../shared/ids.js'
import { NO_FIGURES, toDebtorDto, toDebtorDtos } from '../debtors/debtors.mapper.js'
import type { DebtorRow } from '../debtors/debtors.repository.js'
import { createDebtorBody, type CreateDebtorInput } from '../debtors/debtors.schema.js'
import { debtors } from '../debtors/debtors.tables.js'
import { emitEventBatch, type PendingEvent } from '../events/events.service.js'
import { activeScenarioIds } from '../scenarios/assignable-scenarios.js'
import { rejected, type BulkKind, type LineResult, type ValidLine } from './bulk-types.js'
import { mapRow } from './row-mapping.js'
import { idsByRef, outcomes, type Upserted } from './upsert-outcome.js'

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value))

/**
 * One statement per chunk: a line is the whole debtor (a field left out is empty, as at creation),
 * rows that would not change are not written, `xmax = 0` tells an insert from an update.
 */
async function upsertDebtors(tx: Tx, tenantId: string, lines: ValidLine<CreateDebtorInput>[]): Promise<Upserted<DebtorRow>[]> {
  const col = <V>(pick: (input: CreateDebtorInput) => V) => sql.param(lines.map((l) => pick(l.input)))
  const result = await tx.execute<Record<string, unknown>>(sql`
    insert into debtors (tenant_id, debtor_id, kind, name, siren, siret, vat_number, country, language, timezone,
      segment, contacts, address, lre_consent_on, lre_consent_means, scenario_id, external_ref, metadata)
    select ${tenantId}, v.* from unnest(
      ${sql.param(lines.map(() => newId('debtor')))}::text[], ${col((i) => i.kind)}::text[], ${col((i) => i.name)}::text[],
      ${col((i) => i.siren ?? null)}::text[], ${col((i) => i.siret ?? null)}::text[], ${col((i) => i.vat_number ?? null)}::text[],
      ${col((i) => i.country)}::text[], ${col((i) => i.language)}::text[], ${col((i) => i.timezone)}::text[],
      ${col((i) => i.segment ?? null)}::text[], ${col((i) => json(i.contacts ?? []))}::jsonb[], ${col((i) => json(i.address))}::jsonb[],
      ${col((i) => i.lre_consent?.on ?? null)}::date[], ${col((i) => i.lre_consent?.means ?? null)}::text[],
      ${col((i) => i.scenario_id ?? null)}::text[], ${col((i) => i.external_ref!)}::text[], ${col((i) => json(i.metadata ?? {}))}::jsonb[]
    ) as v
    on conflict (tenant_id, external_ref) do update set
      kind = excluded.kind, name = excluded.name, siren = excluded.siren, siret = excluded.siret,
      vat_number = excluded.vat_number, country = excluded.country, language = excluded.language,
      timezone = excluded.timezone, segment = excluded.segment, contacts = excluded.contacts, address = excluded.address,
      lre_consent_on = excluded.lre_consent_on, lre_consent_means = excluded.lre_consent_means,
      scenario_id = excluded.scenario_id, metadata = excluded.metadata, updated_at = now()
    where (debtors.kind, debtors.name, debtors.siren, debtors.siret, debtors.vat_number, debtors.country, debtors.language,
           debtors.timezone, debtors.segment, debtors.contacts, debtors.address, debtors.lre_consent_on,
           debtors.lre_consent_means, debtors.scenario_id, debtors.metadata)
      is distinct from (excluded.kind, excluded.name, excluded.siren, excluded.siret, excluded.vat_number, excluded.country,
           excluded.language, excluded.timezone, excluded.segment, excluded.contacts, excluded.address, excluded.lre_consent_on,
           excluded.lre_consent_means, excluded.scenario_id, excluded.metadata)
    returning debtors.*, (xmax = 0) as inserted`)
  return result.rows.map((raw) => ({ row: mapRow(debtors, raw), inserted: raw.inserted === true }))
}

/** A line naming a scenario that is not an active one of this tenant (another tenant's included) is rejected. */
async function withAssignableScenarios(tx: Tx, tenantId: string, lines: ValidLine<CreateDebtorInput>[]) {
  const active = await activeScenarioIds(tx, tenantId, lines.map((l) => l.input.scenario_id))
  const ok = (l: ValidLine<CreateDebtorInput>) => !l.input.scenario_id || active.has(l.input.scenario_id)
  return {
    lines: lines.filter(ok),
    refused: lines.filter((l) => !ok(l)).map((l) => rejected(l.line, l.ref, [{ path: 'scenario_id', message: `No active scenario with id ${l.input.scenario_id}` }])),
  }
}

export const debtorsBulk: BulkKind<CreateDebtorInput> = {
  name: 'debtors',
  schema: createDebtorBody,
  async store(tx, { tenantId }, allLines): Promise<LineResult[]> {
    const { lines, refused } = await withAssignableScenarios(tx, tenantId, allLines)
    if (!lines.length) return refused
    const upserted = await upsertDebtors(tx, tenantId, lines)
    const byRef = new Map(upserted.map((u) => [u.row.externalRef!, u]))
    const untouched = lines.filter((l) => !byRef.has(l.ref)).map((l) => l.ref)
    const unchangedIds = await idsByRef(tx, debtors, debtors.debtorId, tenantId, untouched)
    const updatedDtos = await toDebtorDtos(tx, tenantId, upserted.filter((u) => !u.inserted).map((u) => u.row))
    const dtoOf = new Map(updatedDtos.map((dto) => [dto.id, dto]))
    const events: PendingEvent[] = []
    const results = outcomes(lines, byRef, unchangedIds, (u) => u.row.debtorId, (u) => {
      const object = u.inserted ? toDebtorDto(u.row, NO_FIGURES) : dtoOf.get(u.row.debtorId)!
      events.push({ type: u.inserted ? 'debtor.created' : 'debtor.updated', objectId: u.row.debtorId, object })
    })
    await emitEventBatch(tx, tenantId, events)
    return [...results, ...refused].sort((x, y) => x.line - y.line)
  },
}
