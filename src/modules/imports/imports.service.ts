import type { Tx } from '../../db/client.js'
import { page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { notFound } from '../../shared/errors.js'
import * as repo from './imports.repository.js'
import type { ImportDto, ListImportsQuery } from './imports.schema.js'

export async function getImport(tx: Tx, principal: Principal, importId: string): Promise<ImportDto> {
  const row = await repo.findImport(tx, requireTenant(principal), importId)
  if (!row) throw notFound('import', importId)
  return repo.toImportDto(row)
}

export async function listImports(tx: Tx, principal: Principal, query: ListImportsQuery) {
  const rows = await repo.listImports(tx, requireTenant(principal), query)
  return page(rows.map(repo.toImportDto), query.limit)
}
