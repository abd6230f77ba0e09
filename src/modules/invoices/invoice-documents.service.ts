import type { Tx } from '../../db/client.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { sha256Hex } from '../../shared/crypto.js'
import { AppError, notFound } from '../../shared/errors.js'
import { toInvoiceDto } from './invoices.mapper.js'
import * as repo from './invoices.repository.js'
import type { InvoiceDto } from './invoices.schema.js'

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

/** Stores the invoice PDF with its sha256: letters attach it, the evidence file cites the hash. */
export async function attachDocument(
  tx: Tx,
  principal: Principal,
  invoiceId: string,
  content: Buffer,
  filename: string,
): Promise<InvoiceDto> {
  const tenantId = requireTenant(principal)
  if (!(await repo.findInvoice(tx, tenantId, invoiceId))) throw notFound('invoice', invoiceId)
  if (content.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw new AppError('validation_failed', 'The body is not a PDF file.', [{ path: 'body', message: 'Must start with %PDF-' }])
  }
  const sha256 = sha256Hex(content)
  await repo.upsertDocument(tx, { tenantId, invoiceId, content, sha256, contentType: 'application/pdf', filename, size: content.length })
  await repo.updateInvoice(tx, tenantId, invoiceId, { pdfSha256: sha256 })
  return toInvoiceDto((await repo.findInvoice(tx, tenantId, invoiceId))!)
}

export async function readDocument(tx: Tx, principal: Principal, invoiceId: string) {
  const document = await repo.findDocument(tx, requireTenant(principal), invoiceId)
  if (!document) throw new AppError('not_found', `Invoice ${invoiceId} has no document`)
  return document
}
