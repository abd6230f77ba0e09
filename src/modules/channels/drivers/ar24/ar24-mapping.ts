/**
 * AR24 mail object → our statuses, events and proofs. The exact status strings are not confirmed
 * publicly (providers.md [SILENT]), so the proof date fields decide whenever the string is unknown.
 */
import type { DeliveryStatus, Money, ProofKind, ProofRef, ProviderEvent, SendResult } from '../../channel-driver.js'
import { parseParisDateTime } from './ar24-signing.js'

export interface Ar24Mail {
  id: string | number
  status?: string
  custom_ref?: string | null
  creation?: string | null
  date?: string | null
  price_ht?: number | string | null
  proof_ev_url?: string | null
  ts_ev_date?: string | null
  proof_ar_url?: string | null
  view_date?: string | null
  proof_rf_url?: string | null
  refused_date?: string | null
  proof_ng_url?: string | null
  negligence_date?: string | null
  proof_bc_url?: string | null
  bounced_date?: string | null
  pdf_content?: string | null
}

interface Step {
  raw: string
  status: DeliveryStatus | null
  urlField: keyof Ar24Mail
  dateField: keyof Ar24Mail
  proofKind: ProofKind
  proofCode: string
}

/** In lifecycle order: ev first, then the one terminal state a mail can reach. */
const STEPS: Step[] = [
  { raw: 'ev', status: 'sent', urlField: 'proof_ev_url', dateField: 'ts_ev_date', proofKind: 'sending', proofCode: 'ev' },
  { raw: 'AR', status: 'delivered', urlField: 'proof_ar_url', dateField: 'view_date', proofKind: 'receipt', proofCode: 'ar' },
  { raw: 'refused', status: 'refused', urlField: 'proof_rf_url', dateField: 'refused_date', proofKind: 'refusal', proofCode: 'rf' },
  { raw: 'negligence', status: 'not_claimed', urlField: 'proof_ng_url', dateField: 'negligence_date', proofKind: 'negligence', proofCode: 'ng' },
  { raw: 'bounced', status: 'bounced', urlField: 'proof_bc_url', dateField: 'bounced_date', proofKind: 'undelivered', proofCode: 'bc' },
]

const RAW_ALIASES: Record<string, string> = { ar: 'AR', accepted: 'AR', rf: 'refused', refuse: 'refused', ng: 'negligence', bc: 'bounced', bounce: 'bounced' }

/** Status string → our status; waiting/dp (not yet notified) count as sent: AR24 holds the mail. */
export function mapAr24Status(raw: string | undefined): DeliveryStatus | null {
  const normalised = RAW_ALIASES[(raw ?? '').toLowerCase()] ?? raw ?? ''
  const step = STEPS.find((s) => s.raw === normalised)
  if (step) return step.status
  if (['waiting', 'dp'].includes(normalised.toLowerCase())) return 'sent'
  return null
}

function text(mail: Ar24Mail, field: keyof Ar24Mail): string | null {
  const value = mail[field]
  return typeof value === 'string' && value !== '' ? value : null
}

function proofOf(mail: Ar24Mail, step: Step): ProofRef | null {
  const url = text(mail, step.urlField)
  return url ? { kind: step.proofKind, locator: url, filename: `ar24-${step.proofCode}-${mail.id}.pdf` } : null
}

export function ar24Proofs(mail: Ar24Mail): ProofRef[] {
  const proofs = STEPS.map((step) => proofOf(mail, step)).filter((p): p is ProofRef => p !== null)
  const content = text(mail, 'pdf_content')
  if (content) proofs.push({ kind: 'content', locator: content, filename: `ar24-content-${mail.id}.pdf` })
  return proofs
}

function cost(mail: Ar24Mail): Money | undefined {
  const price = Number(mail.price_ht)
  // price_ht is euros excluding VAT; stored in cents.
  return mail.price_ht != null && Number.isFinite(price) ? { amount: Math.round(price * 100), currency: 'EUR' } : undefined
}

export function ar24SendResult(mail: Ar24Mail): SendResult {
  const events = ar24Events(mail)
  const last = events.at(-1)
  return {
    providerRef: String(mail.id),
    status: last?.status ?? 'sent',
    rawStatus: mail.status ?? 'waiting',
    cost: cost(mail),
    proofs: ar24Proofs(mail),
  }
}

/** Every step the mail has reached, oldest first; the dispatch loop applies them idempotently. */
export function ar24Events(mail: Ar24Mail): ProviderEvent[] {
  const base = { providerRef: String(mail.id), dispatchId: mail.custom_ref ?? undefined }
  const events: ProviderEvent[] = []
  for (const step of STEPS) {
    const at = parseParisDateTime(text(mail, step.dateField))
    const reachedByStatus = mapAr24Status(mail.status) === step.status && step.raw !== 'ev'
    if (!at && !reachedByStatus) continue
    const proof = proofOf(mail, step)
    events.push({
      ...base,
      status: step.status,
      rawStatus: step.raw === 'ev' ? 'ev' : (mail.status ?? step.raw),
      occurredAt: at ?? new Date(),
      reason: step.raw === 'bounced' ? 'notification e-mail bounced' : undefined,
      proofs: proof ? [proof] : [],
    })
  }
  if (events.length === 0) {
    const created = parseParisDateTime(mail.creation ?? mail.date) ?? new Date()
    events.push({ ...base, status: null, rawStatus: mail.status ?? 'waiting', occurredAt: created, proofs: [] })
  }
  return events
}
