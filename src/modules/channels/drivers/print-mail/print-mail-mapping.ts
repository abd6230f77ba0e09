/**
 * Maileva sending, recipient and delivery codes → our statuses, events and proofs.
 * The sending says whether the letter was produced and posted; the delivery codes say what the
 * post office did with it; N-codes are scans Maileva made (signed AR or returned letter).
 */
import type { DeliveryStatus, Money, ProofKind, ProofRef, ProviderEvent } from '../../channel-driver.js'

export interface MailevaSending {
  id: string
  custom_id?: string | null
  status: string
  status_detail?: string | null
  creation_date?: string | null
  submission_date?: string | null
  processed_date?: string | null
  deposit_proof_date?: string | null
  deposit_proof_url?: string | null
}

export interface MailevaRecipient {
  id: string
  custom_id?: string | null
  status: string
  status_detail?: string | null
  postage_price?: number | null
  registered_number?: string | null
  archive_url?: string | null
  acknowledgement_of_receipt_url?: string | null
  acknowledgement_of_receipt_archive_date?: string | null
}

export interface MailevaDeliveryStatus {
  status: string
  label?: string
  date: string
}

const DELIVERED = new Set(['D01', 'N01'])
const NOT_CLAIMED = new Set(['P03', 'N03', 'A14', 'A17'])
const REFUSED = new Set(['A16', 'A18', 'P04', 'P05', 'P06', 'N05', 'N08'])
// A21–A26 returned to sender, A13 missing at deposit, A19 undeliverable, N02/N10 PND scans, N04 deceased, N06/N07/N09.
const UNDELIVERED = new Set(['A13', 'A19', 'A21', 'A22', 'A23', 'A24', 'A25', 'A26', 'N02', 'N04', 'N06', 'N07', 'N09', 'N10'])

/** A delivery code → our status; null for routing steps (A01 taken in charge, A02 avisé, P01…). */
export function mapDeliveryCode(code: string): DeliveryStatus | null {
  if (DELIVERED.has(code)) return 'delivered'
  if (NOT_CLAIMED.has(code)) return 'not_claimed'
  if (REFUSED.has(code)) return 'refused'
  if (UNDELIVERED.has(code)) return 'undelivered'
  return null
}

const SCAN_KIND: Partial<Record<DeliveryStatus, ProofKind>> = {
  delivered: 'scanned_ar',
  refused: 'refusal',
  not_claimed: 'negligence',
  undelivered: 'undelivered',
}

export interface MailevaSnapshot {
  providerRef: string
  resource: string
  sending: MailevaSending
  recipient?: MailevaRecipient
  deliveryStatuses: MailevaDeliveryStatus[]
}

const at = (value: string | null | undefined): Date => (value ? new Date(value) : new Date())

const lastMappedCode = (snapshot: MailevaSnapshot) => [...snapshot.deliveryStatuses].reverse().find((d) => mapDeliveryCode(d.status) !== null)

/** Deposit proof, the scan (AR or returned letter, named by the final status) and the letter as sent. */
export function mailevaProofs(snapshot: MailevaSnapshot): ProofRef[] {
  const { resource, sending, recipient } = snapshot
  const finalCode = lastMappedCode(snapshot)
  const finalStatus = finalCode ? mapDeliveryCode(finalCode.status) : null
  const base = `${resource}/sendings/${sending.id}`
  const proofs: ProofRef[] = []
  if (sending.deposit_proof_url || sending.deposit_proof_date) {
    proofs.push({ kind: 'deposit', locator: `${base}/download_deposit_proof`, filename: `deposit-proof-${sending.id}.pdf` })
  }
  if (recipient?.acknowledgement_of_receipt_url) {
    const kind = (finalStatus && SCAN_KIND[finalStatus]) ?? 'scanned_ar'
    proofs.push({ kind, locator: `${base}/recipients/${recipient.id}/download_acknowledgement_of_receipt`, filename: `${kind}-${sending.id}.pdf` })
  }
  if (recipient?.archive_url) {
    proofs.push({ kind: 'content', locator: `${base}/recipients/${recipient.id}/download_archive`, filename: `letter-${sending.id}.pdf` })
  }
  return proofs
}

/** Every step reached, oldest first; proofs ride on the event that made them available. */
export function mailevaEvents(snapshot: MailevaSnapshot): ProviderEvent[] {
  const { sending, recipient } = snapshot
  const base = { providerRef: snapshot.providerRef, dispatchId: sending.custom_id ?? recipient?.custom_id ?? undefined }
  const events: ProviderEvent[] = []
  const push = (event: Omit<ProviderEvent, 'providerRef' | 'dispatchId'>) => events.push({ ...base, ...event })

  if (sending.status === 'REJECTED' || recipient?.status === 'REJECTED') {
    const reason = (recipient?.status === 'REJECTED' ? recipient.status_detail : sending.status_detail) ?? 'rejected by the provider'
    push({ status: 'failed', rawStatus: 'REJECTED', occurredAt: at(sending.processed_date ?? sending.submission_date), reason })
    return events
  }
  if (['ACCEPTED', 'PROCESSED', 'PROCESSED_WITH_ERRORS'].includes(sending.status)) {
    push({ status: null, rawStatus: 'ACCEPTED', occurredAt: at(sending.submission_date) })
  }
  if (sending.status.startsWith('PROCESSED')) push({ status: 'sent', rawStatus: sending.status, occurredAt: at(sending.processed_date) })
  const finalCode = lastMappedCode(snapshot)
  const proofs = mailevaProofs(snapshot)
  const deposit = proofs.filter((p) => p.kind === 'deposit')
  if (deposit.length) push({ status: 'sent', rawStatus: 'DEPOSIT_PROOF', occurredAt: at(sending.deposit_proof_date), proofs: deposit })

  const scan = proofs.filter((p) => p.kind !== 'deposit' && p.kind !== 'content')
  const lastScanCode = [...snapshot.deliveryStatuses].reverse().find((d) => d.status.startsWith('N'))
  // An N-code scan (N02 "PND") is generic: the post office's own code before it (A23…) is the reason.
  let postOfficeReason: string | undefined
  for (const delivery of snapshot.deliveryStatuses) {
    const status = mapDeliveryCode(delivery.status)
    const failed = status !== null && status !== 'delivered'
    if (failed && !delivery.status.startsWith('N')) postOfficeReason = delivery.status
    push({
      status,
      rawStatus: delivery.status,
      occurredAt: at(delivery.date),
      reason: failed ? (delivery.status.startsWith('N') ? (postOfficeReason ?? delivery.status) : delivery.status) : undefined,
      proofs: delivery === (lastScanCode ?? finalCode) ? scan : undefined,
    })
  }
  return events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())
}

/** postage_price is euros ([SILENT] on the unit); stored in cents. */
export function mailevaCost(recipient: MailevaRecipient | undefined): Money | undefined {
  const price = recipient?.postage_price
  return typeof price === 'number' && Number.isFinite(price) ? { amount: Math.round(price * 100), currency: 'EUR' } : undefined
}
