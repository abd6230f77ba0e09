/** JSON shapes the print-mail simulator answers with (Maileva field names, providers.md §2). */
import type { SimRecipient, SimSending } from './print-mail-sim-state.js'

export function renderSending(s: SimSending, apiUrl: string): Record<string, unknown> {
  const r = s.recipient
  return {
    ...s.fields,
    id: s.id,
    status: s.status,
    creation_date: s.dates.creation.toISOString(),
    submission_date: s.dates.submission?.toISOString() ?? null,
    processed_date: s.dates.processed?.toISOString() ?? null,
    deposit_proof_date: s.dates.depositProof?.toISOString() ?? null,
    deposit_proof_url: s.dates.depositProof ? `${apiUrl}${s.resource}/sendings/${s.id}/download_deposit_proof` : null,
    documents_count: s.documents.length,
    pages_count: s.documents.length,
    envelope_type: 'C4',
    recipients_counts: {
      draft: r?.status === 'DRAFT' ? 1 : 0,
      pending: r?.status === 'PENDING' ? 1 : 0,
      processed: r?.status === 'PROCESSED' ? 1 : 0,
      rejected: 0,
      total: r ? 1 : 0,
    },
  }
}

export function renderRecipient(s: SimSending, r: SimRecipient, apiUrl: string): Record<string, unknown> {
  const base = `${apiUrl}${s.resource}/sendings/${s.id}/recipients/${r.id}`
  const last = r.deliveries.at(-1)
  const registered = s.resource === 'registered_mail/v2'
  return {
    ...r.fields,
    id: r.id,
    status: r.status,
    postage_price: r.processed ? (registered ? 5.36 : 1.39) : null,
    postage_class: registered ? null : 'PRIORITY',
    registered_number: r.processed && registered ? `1A${r.id.replace(/\D/g, '').slice(0, 11).padEnd(11, '0')}` : null,
    last_delivery_status: last?.status ?? null,
    last_delivery_status_date: last?.date ?? null,
    archive_url: r.processed ? `${base}/download_archive` : null,
    acknowledgement_of_receipt_url: r.scanAvailable ? `${base}/download_acknowledgement_of_receipt` : null,
  }
}
