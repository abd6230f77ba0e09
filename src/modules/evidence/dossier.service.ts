import { sql } from 'drizzle-orm'
import { zipSync, type Zippable } from 'fflate'
import type { Tx } from '../../db/client.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { notFound } from '../../shared/errors.js'
import { canonicalLine, type AuditEntry } from '../audit/audit-hash.js'
import { chainHead, entriesOfCase } from '../audit/audit.repository.js'
import { toDebtorDtos } from '../debtors/debtors.mapper.js'
import { findDebtor } from '../debtors/debtors.repository.js'
import { invoiceDtosByIds } from '../invoices/invoices.mapper.js'
import { findInvoice } from '../invoices/invoices.repository.js'
import { SUPPORTED_LAW_COUNTRIES } from '../law/countries/registry.js'
import { loadRateTables, tenantLaw } from '../law/governing-law.js'
import { addressLines } from '../letters/postal-address.js'
import { attachedClock } from '../test-clocks/test-clocks.repository.js'
import { claimsOf, claimTotals, type DossierLaw } from './case-facts.js'
import { dispatchFiles, manifestEntry, safeName, type DossierFile } from './dossier-files.js'
import * as repo from './evidence.repository.js'
import { DEBTOR_KIND_FR, label } from './labels-fr.js'
import { readmeFr } from './readme-fr.js'
import { defaultProofStorage, type ProofStorage } from '../dispatch/proof-storage.js'
import { renderTimelinePdf } from './timeline-pdf.js'

export interface Dossier {
  filename: string
  zip: Buffer
}

type Scope = { kind: 'debtor'; id: string } | { kind: 'invoice'; id: string }

/** An invoice's slice of the debtor's chain: entries about it, its dispatches and proofs, money applied to it, debtor-wide holds. */
function concernsInvoice(entry: AuditEntry, invoiceId: string, related: Set<string>): boolean {
  if (related.has(entry.object_id) || entry.snapshot.includes(`"${invoiceId}"`)) return true
  return entry.object_type === 'hold' && entry.snapshot.includes('"invoice_id": null')
}

async function assemble(tx: Tx, tenantId: string, debtorId: string, scope: Scope, storage: ProofStorage): Promise<Dossier> {
  const debtorRow = await findDebtor(tx, tenantId, debtorId)
  if (!debtorRow) throw notFound('debtor', debtorId)
  const [debtor] = await toDebtorDtos(tx, tenantId, [debtorRow])
  const ids = scope.kind === 'invoice' ? [scope.id] : await invoiceIdsOf(tx, tenantId, debtorId)
  const byId = await invoiceDtosByIds(tx, tenantId, ids)
  const invoices = ids.flatMap((id) => byId.get(id) ?? [])
  const generatedAt = new Date()
  const asOf = ((await attachedClock(tx, tenantId))?.frozenTime ?? generatedAt).toISOString().slice(0, 10)
  const dispatches = await repo.caseDispatches(tx, tenantId, debtorId, scope.kind === 'invoice' ? ids : null)
  const proofs = await repo.caseProofs(tx, tenantId, dispatches.map((d) => d.dispatch_id), storage)
  const settlements = await repo.caseSettlements(tx, tenantId, ids)
  const governing = await dossierLaw(tx, tenantId)
  const claims = claimsOf(invoices, debtorRow.kind, dispatches, asOf, governing)
  const totals = claimTotals(claims)
  const creditor = await repo.tenantName(tx, tenantId)
  const head = await chainHead(tx, tenantId)
  const related = new Set([debtorId, ...ids, ...dispatches.map((d) => d.dispatch_id), ...proofs.map((p) => p.proof_id), ...settlements.map((s) => s.id)])
  const entries = (await entriesOfCase(tx, tenantId, debtorId)).filter((e) => scope.kind === 'debtor' || concernsInvoice(e, scope.id, related))

  const files: DossierFile[] = []
  const timeline = await renderTimelinePdf({
    creditor,
    debtor: { id: debtorId, name: debtorRow.name, kind: debtorRow.kind, siren: debtorRow.siren, addressLines: addressLines(debtorRow.address ?? undefined) },
    law: { country: governing.country, name: governing.law?.name ?? null, basisWording: (basis) => governing.law?.basisWording(basis, 'fr', 'short') ?? '' },
    asOf, generatedAt, invoices, claims, totals, settlements, dispatches,
    proofs: proofs.map(({ content: _content, ...meta }) => meta),
    auditHead: head,
  })
  files.push({ path: 'chronologie.pdf', content: timeline, content_type: 'application/pdf', describes: 'Chronologie du dossier, montants réclamés et date de prescription' })
  for (const doc of await repo.invoiceDocuments(tx, tenantId, ids)) {
    const number = byId.get(doc.invoice_id)?.number ?? doc.invoice_id
    files.push({ path: `factures/${safeName(number)}_${doc.invoice_id}.pdf`, content: doc.content, content_type: doc.content_type, describes: `Facture ${number} telle que transmise par le créancier` })
  }
  for (const d of dispatches) files.push(...dispatchFiles(d, proofs.filter((p) => p.dispatch_id === d.dispatch_id)))
  files.push({
    path: 'README.txt',
    content: Buffer.from(readmeFr({
      creditor, debtorName: debtorRow.name, debtorKind: label(DEBTOR_KIND_FR, debtorRow.kind), asOf, totals,
      law: { country: governing.country, statutory: governing.law !== null },
    }), 'utf8'),
    content_type: 'text/plain; charset=utf-8',
    describes: 'Explication du dossier et de sa vérification',
  })

  const manifest = {
    format: 'relance-dossier-v1',
    generated_at: generatedAt.toISOString(),
    as_of: asOf,
    scope,
    creditor: { tenant_id: tenantId, name: creditor },
    law: governing.law
      ? { country: governing.country, module: governing.law.country, name: governing.law.name, rate_series: governing.law.rateSeries }
      : { country: governing.country, module: null, note: `No law module for ${governing.country} (supported: ${SUPPORTED_LAW_COUNTRIES.join(', ')}): no penalty, indemnity or prescription date is computed.` },
    debtor,
    invoices,
    claims,
    totals,
    settlements,
    dispatches: dispatches.map((d) => ({ ...d, files: files.filter((f) => f.path.includes(d.dispatch_id)).map((f) => f.path) })),
    files: files.map(manifestEntry),
    audit: {
      format: 'relance-audit-v1',
      head,
      entries: entries.map((e) => ({ ...e, canonical: canonicalLine(e) })),
    },
  }
  const mtime = generatedAt
  const zippable: Zippable = { 'manifest.json': [Buffer.from(JSON.stringify(manifest, null, 2), 'utf8'), { mtime }] }
  for (const f of files) zippable[f.path] = [f.content, { mtime, level: f.content_type === 'application/pdf' ? 0 : 6 }]
  return { filename: `dossier_${scope.id}_${asOf}.zip`, zip: Buffer.from(zipSync(zippable)) }
}

/** The tenant's country law and its rates; without a module, nothing statutory is claimed. */
async function dossierLaw(tx: Tx, tenantId: string): Promise<DossierLaw> {
  const { country, law } = await tenantLaw(tx, tenantId)
  return law ? { country, law, tables: await loadRateTables(tx, law) } : { country, law: null, tables: null }
}

async function invoiceIdsOf(tx: Tx, tenantId: string, debtorId: string): Promise<string[]> {
  const rows = await tx.execute<{ invoice_id: string }>(sql`
    select invoice_id from invoices where tenant_id = ${tenantId} and debtor_id = ${debtorId} order by issue_date, invoice_id`)
  return rows.rows.map((r) => r.invoice_id)
}

/** The whole case of one debtor: every invoice, dispatch and proof. */
export async function debtorDossier(tx: Tx, principal: Principal, debtorId: string, storage: ProofStorage = defaultProofStorage): Promise<Dossier> {
  return assemble(tx, requireTenant(principal), debtorId, { kind: 'debtor', id: debtorId }, storage)
}

/** One invoice's case: the dispatches that carried it, their proofs, its part of the chain. */
export async function invoiceDossier(tx: Tx, principal: Principal, invoiceId: string, storage: ProofStorage = defaultProofStorage): Promise<Dossier> {
  const tenantId = requireTenant(principal)
  const invoice = await findInvoice(tx, tenantId, invoiceId)
  if (!invoice) throw notFound('invoice', invoiceId)
  return assemble(tx, tenantId, invoice.debtorId, { kind: 'invoice', id: invoiceId }, storage)
}
