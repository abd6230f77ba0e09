import PDFDocument from 'pdfkit'
import { SENT_LETTER_LOCATOR } from '../dispatch/proofs.js'
import { formatDate, formatMoney, formatPercent } from '../templates/format.js'
import type { PenaltyBasis } from '../law/country-law.js'
import type { ClaimTotal, InvoiceClaim } from './case-facts.js'
import { whenSent, type CaseDispatch, type CaseProof, type CaseSettlement } from './evidence.repository.js'
import { CHANNEL_FR, DEBTOR_KIND_FR, INVOICE_STATUS_FR, PROOF_FR, STATUS_FR, label } from './labels-fr.js'

export interface TimelineInput {
  creditor: string
  debtor: { id: string; name: string; kind: string; siren: string | null; addressLines: string[] }
  /** The tenant's country law: its name (null without a module) and how it words a basis. */
  law: { country: string; name: string | null; basisWording: (basis: PenaltyBasis) => string }
  asOf: string
  generatedAt: Date
  invoices: { id: string; number: string; issue_date: string }[]
  claims: InvoiceClaim[]
  totals: ClaimTotal[]
  settlements: CaseSettlement[]
  dispatches: CaseDispatch[]
  proofs: Omit<CaseProof, 'content'>[]
  auditHead: { sequence: number; hash: string } | null
}

type Doc = PDFKit.PDFDocument
const FONT = 'Helvetica'
const BOLD = 'Helvetica-Bold'
const money = (minor: number, currency: string) => formatMoney(minor, currency, 'fr')
const day = (iso: string) => formatDate(iso.slice(0, 10), 'fr')
const stamp = (d: Date) => `${day(d.toISOString())} ${d.toISOString().slice(11, 16)} UTC`

function heading(doc: Doc, text: string): void {
  doc.moveDown(0.8).font(BOLD).fontSize(12).text(text).moveDown(0.3).font(FONT).fontSize(9.5)
}

function parties(doc: Doc, input: TimelineInput): void {
  doc.font(BOLD).fontSize(16).text('Chronologie du dossier de recouvrement')
  doc.font(FONT).fontSize(9.5).moveDown(0.3)
  doc.text(`Situation arrêtée au ${day(input.asOf)} — document généré le ${stamp(input.generatedAt)} par Relance.`)
  heading(doc, 'Parties')
  doc.text(`Créancier : ${input.creditor}`)
  const { debtor } = input
  doc.text(`Débiteur : ${debtor.name} (${label(DEBTOR_KIND_FR, debtor.kind)})${debtor.siren ? `, SIREN ${debtor.siren}` : ''} — réf. ${debtor.id}`)
  if (debtor.addressLines.length) doc.text(`Adresse : ${debtor.addressLines.join(', ')}`)
  doc.text(
    input.law.name
      ? `Droit applicable aux montants : ${input.law.name} (pays du créancier, ${input.law.country}).`
      : `Droit applicable : pays du créancier ${input.law.country}, sans module de calcul dans Relance — aucune pénalité, ` +
        'indemnité ni date de prescription n’est calculée.',
  )
}

function claims(doc: Doc, input: TimelineInput): void {
  heading(doc, 'Créances')
  for (const c of input.claims) {
    doc.font(BOLD).text(`Facture ${c.number} — échéance ${day(c.due_date)} — ${label(INVOICE_STATUS_FR, c.status)}`)
    doc.font(FONT)
    doc.text(`Montant TTC ${money(c.amount_total, c.currency)} ; reste dû ${money(c.amount_due, c.currency)} ; ${c.days_late} jours de retard.`)
    if (!input.law.name) {
      doc.text('Pénalités, indemnité et prescription : non calculées (aucun module de droit pour ce pays).').moveDown(0.4)
      continue
    }
    const p = c.penalty
    if (c.formal_notice_date) doc.text(`Mise en demeure envoyée le ${day(c.formal_notice_date)}.`)
    doc.text(`Pénalités de retard : ${money(p.amount, p.currency)}${p.rate ? ` (${input.law.basisWording(p.basis)})` : ''}.`)
    for (const period of p.periods) {
      doc.text(`    du ${day(period.from)} au ${day(period.to)} : ${period.days} jours à ${formatPercent(period.rate, 'fr')} = ${money(period.amount, p.currency)}`)
    }
    for (const warning of p.warnings) doc.text(`    Attention : ${warning}`)
    doc.text(`Indemnité forfaitaire pour frais de recouvrement : ${c.indemnity.applicable ? money(c.indemnity.amount, c.indemnity.currency) : 'non applicable'}.`)
    doc.text(`Prescription de l'action : ${c.prescription_date ? day(c.prescription_date) : 'non calculée'}.`).moveDown(0.4)
  }
  for (const t of input.totals) {
    doc.font(BOLD).text(
      `Total ${t.currency} : principal ${money(t.principal, t.currency)} + pénalités ${money(t.penalties, t.currency)}` +
        ` + indemnités ${money(t.indemnities, t.currency)} = ${money(t.total, t.currency)}`,
    )
  }
  doc.font(FONT)
}

interface Line {
  at: string
  text: string
}

function events(input: TimelineInput): Line[] {
  const numberOf = new Map(input.invoices.map((i) => [i.id, i.number]))
  const lines: Line[] = []
  for (const i of input.invoices) lines.push({ at: i.issue_date, text: `Émission de la facture ${i.number}` })
  for (const c of input.claims) lines.push({ at: c.due_date, text: `Échéance de la facture ${c.number} (${money(c.amount_total, c.currency)})` })
  for (const s of input.settlements) {
    const what = s.kind === 'payment' ? 'Paiement reçu' : 'Avoir imputé'
    lines.push({ at: s.settled_on, text: `${what} : ${money(s.amount, s.currency)} sur la facture ${numberOf.get(s.invoice_id) ?? s.invoice_id}${s.reversed ? ' (annulé depuis)' : ''}` })
  }
  for (const d of input.dispatches) {
    const invoices = d.invoice_ids.map((id) => numberOf.get(id) ?? id).join(', ')
    const subject = d.content?.subject ? ` « ${d.content.subject} »` : ''
    lines.push({
      at: whenSent(d).toISOString(),
      text: `${label(CHANNEL_FR, d.channel)}${subject} (étape ${d.step_key}, factures ${invoices}) — résultat : ${label(STATUS_FR, d.status)}` +
        `${d.provider_ref ? `, réf. prestataire ${d.provider_ref}` : ''}${d.failure_reason ? ` — ${d.failure_reason}` : ''} [${d.dispatch_id}]`,
    })
    for (const e of d.timeline) {
      if (e.status && e.status !== 'sent' && e.status !== 'queued') lines.push({ at: e.occurred_at, text: `    ${label(CHANNEL_FR, d.channel)} ${d.dispatch_id} : ${label(STATUS_FR, e.status)} (${e.raw_status})` })
    }
  }
  // The sent letter itself is listed with its dispatch (lettre-envoyee.pdf), not as a provider proof.
  for (const p of input.proofs.filter((proof) => proof.locator !== SENT_LETTER_LOCATOR)) {
    lines.push({ at: p.created_at.toISOString(), text: `    Preuve reçue : ${label(PROOF_FR, p.kind)}, ${p.filename}, sha256 ${p.sha256.slice(0, 16)}… [${p.dispatch_id}]` })
  }
  return lines.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}

/** The case on a few A4 pages: parties, what is claimed and why, and every dated step. */
export function renderTimelinePdf(input: TimelineInput): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Chronologie — ${input.debtor.name}`, Author: input.creditor, Creator: 'Relance' } })
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    parties(doc, input)
    claims(doc, input)
    heading(doc, 'Chronologie')
    for (const line of events(input)) doc.text(`${day(line.at)} — ${line.text}`)
    heading(doc, 'Intégrité')
    doc.text(
      'Chaque fichier du dossier est listé avec son empreinte SHA-256 dans manifest.json. Les événements du dossier y figurent ' +
        'avec leur maillon de la chaîne d’audit (hash du maillon précédent inclus).' +
        (input.auditHead ? ` Tête de la chaîne à la génération : n° ${input.auditHead.sequence}, ${input.auditHead.hash}.` : ''),
    )
    doc.end()
  })
}
