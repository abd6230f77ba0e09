import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { iso } from '../../platform/api-schemas.js'
import { imports, type ImportLineError } from './imports.tables.js'
import type { ImportDto, ListImportsQuery } from './imports.schema.js'

export type ImportRow = typeof imports.$inferSelect

export function toImportDto(row: ImportRow): ImportDto {
  return {
    object: 'import',
    id: row.importId,
    kind: row.kind,
    status: row.status,
    lines_total: row.linesTotal,
    lines_done: row.linesDone,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    errors: row.errors,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
    finished_at: iso(row.finishedAt),
  }
}

export async function insertImport(tx: Tx, row: typeof imports.$inferInsert): Promise<void> {
  await tx.insert(imports).values(row)
}

export async function findImport(tx: Tx, tenantId: string, importId: string): Promise<ImportRow | undefined> {
  const [row] = await tx
    .select()
    .from(imports)
    .where(and(eq(imports.tenantId, tenantId), eq(imports.importId, importId)))
  return row
}

/** The upload is complete: its line count is final, whether or not the job has reported yet. */
export async function recordUploadComplete(tx: Tx, tenantId: string, importId: string, linesTotal: number): Promise<ImportRow | undefined> {
  const [row] = await tx
    .update(imports)
    .set({ linesTotal: sql`greatest(${imports.linesTotal}, ${linesTotal})` })
    .where(and(eq(imports.tenantId, tenantId), eq(imports.importId, importId)))
    .returning()
  return row
}

export async function listImports(tx: Tx, tenantId: string, query: ListImportsQuery): Promise<ImportRow[]> {
  const where: SQL[] = [eq(imports.tenantId, tenantId)]
  if (query.starting_after) where.push(lt(imports.importId, query.starting_after))
  if (query.kind) where.push(eq(imports.kind, query.kind))
  if (query.status) where.push(eq(imports.status, query.status))
  return tx
    .select()
    .from(imports)
    .where(and(...where))
    .orderBy(desc(imports.importId))
    .limit(query.limit + 1)
}

export interface ImportProgressFields {
  status?: ImportRow['status']
  linesTotal: number
  linesDone: number
  created: number
  updated: number
  unchanged: number
  rejected: number
  finished?: boolean
}

/** Absolute counters (the runner holds them) plus the rejected lines to append to `errors`. */
export async function recordProgress(
  tx: Tx,
  tenantId: string,
  importId: string,
  progress: ImportProgressFields,
  newErrors: ImportLineError[],
): Promise<void> {
  await tx
    .update(imports)
    .set({
      ...(progress.status && { status: progress.status }),
      // Never backwards: the 202 may already have stored the final count of a finished upload.
      linesTotal: sql`greatest(${imports.linesTotal}, ${progress.linesTotal})`,
      linesDone: progress.linesDone,
      created: progress.created,
      updated: progress.updated,
      unchanged: progress.unchanged,
      rejected: progress.rejected,
      ...(newErrors.length && { errors: sql`${imports.errors} || ${JSON.stringify(newErrors)}::jsonb` }),
      ...(progress.finished && { finishedAt: new Date() }),
      updatedAt: new Date(),
    })
    .where(and(eq(imports.tenantId, tenantId), eq(imports.importId, importId)))
}
