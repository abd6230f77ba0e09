import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { AppError } from '../../shared/errors.js'
import { findDebtor, type DebtorRow } from './debtors.repository.js'
import { debtors } from './debtors.tables.js'

/**
 * Writes name their debtor by id or by the caller's own external_ref. An unknown one (or another
 * tenant's) is a 404 that names the field.
 */
export async function resolveDebtor(
  tx: Tx,
  tenantId: string,
  ref: { debtor_id?: string; debtor_external_ref?: string },
): Promise<DebtorRow> {
  if (ref.debtor_id) {
    const debtor = await findDebtor(tx, tenantId, ref.debtor_id)
    if (debtor) return debtor
    throw new AppError('not_found', `No debtor with id ${ref.debtor_id}`, [{ path: 'body.debtor_id', message: 'No such debtor' }])
  }
  const [debtor] = await tx
    .select()
    .from(debtors)
    .where(and(eq(debtors.tenantId, tenantId), eq(debtors.externalRef, ref.debtor_external_ref ?? '')))
  if (debtor) return debtor
  throw new AppError('not_found', `No debtor with external_ref ${ref.debtor_external_ref}`, [
    { path: 'body.debtor_external_ref', message: 'No such debtor' },
  ])
}
