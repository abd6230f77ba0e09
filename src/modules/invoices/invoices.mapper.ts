import type { Tx } from '../../db/client.js'
import { iso } from '../../platform/api-schemas.js'
import type { LawDebtorKind } from '../law/country-law.js'
import { lawFor, noLawWarning } from '../law/countries/registry.js'
import { findInvoices, type InvoiceRow } from './invoices.repository.js'
import type { InvoiceDto } from './invoices.schema.js'

export function toInvoiceDto(row: InvoiceRow): InvoiceDto {
  // The tenant's country law checks the terms and dates the prescription; without a module, neither.
  const law = lawFor(row.lawCountry)
  const kind = row.debtorKind as LawDebtorKind
  return {
    object: 'invoice',
    id: row.invoiceId,
    external_ref: row.externalRef,
    debtor_id: row.debtorId,
    number: row.number,
    currency: row.currency,
    amount_total: row.amountTotal,
    amount_tax: row.amountTax,
    amount_net: row.amountNet,
    amount_paid: row.amountPaid,
    amount_credited: row.amountCredited,
    amount_due: Math.max(0, row.amountTotal - row.amountPaid - row.amountCredited),
    issue_date: row.issueDate,
    due_date: row.dueDate,
    payment_terms_days: row.paymentTermsDays,
    payment_link: row.paymentLink,
    scenario_id: row.scenarioId,
    status: row.status,
    paid_at: iso(row.paidAt),
    cancelled_at: iso(row.cancelledAt),
    written_off_at: iso(row.writtenOffAt),
    document: row.document
      ? { sha256: row.document.sha256, filename: row.document.filename, content_type: row.document.contentType, size: row.document.size }
      : null,
    warnings: law ? law.paymentTermsWarnings(kind, row.issueDate, row.dueDate) : [noLawWarning(row.lawCountry)],
    prescription_date: law ? law.prescriptionDate(row.dueDate, kind) : null,
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

/** Invoices as the API shows them, by id (for event payloads and nested reads). */
export async function invoiceDtosByIds(tx: Tx, tenantId: string, invoiceIds: string[]): Promise<Map<string, InvoiceDto>> {
  const rows = await findInvoices(tx, tenantId, invoiceIds)
  return new Map(rows.map((row) => [row.invoiceId, toInvoiceDto(row)]))
}
