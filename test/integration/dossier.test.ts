import { unzipSync } from 'fflate'
import PDFDocument from 'pdfkit'
import { PDFParse } from 'pdf-parse'
import t from 'tap'
import { entryIntact, type AuditEntry } from '../../src/modules/audit/audit-hash.js'
import { sha256Hex } from '../../src/shared/crypto.js'
import { poster, appWithSimulators } from '../factories.js'
import { bearer, createTenant } from '../helper.js'

interface Manifest {
  scope: { kind: string; id: string }
  invoices: { id: string; number: string }[]
  files: { path: string; sha256: string; size: number }[]
  dispatches: { dispatch_id: string; channel: string; letter_sha256: string | null; files: string[] }[]
  claims: { number: string; indemnity: { applicable: boolean; amount: number }; penalty: { amount: number }; prescription_date: string }[]
  audit: { head: { sequence: number; hash: string }; entries: (AuditEntry & { canonical: string })[] }
}

const flat = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ')

function invoicePdf(number: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4' })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.text(`Facture ${number} — Garage Martin SARL`)
    doc.end()
  })
}

async function pdfText(pdf: Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) })
  try {
    return flat((await parser.getText()).text)
  } finally {
    await parser.destroy()
  }
}

t.test('the dossier of a case played end to end holds every file, each matching its manifest hash', async (t) => {
  const { ctx, ar24 } = await appWithSimulators(t)
  const { key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox' })
  const post = poster(ctx, key)
  await post('/v1/scenarios', {
    name: 'Court', language: 'fr', is_default: true,
    definition: {
      steps: [
        { key: 'first_reminder', offset_days: 1, channels: [{ channel: 'email', template: 'reminder_first' }] },
        { key: 'formal_notice', offset_days: 3, channels: [{ channel: 'registered_email', template: 'formal_notice' }] },
        { key: 'simple_letter', offset_days: 6, channels: [{ channel: 'letter', template: 'letter_simple' }] },
      ],
      send_policy: { min_gap_days: 0, max_contacts: 10 },
    },
  })
  const debtor = await post('/v1/debtors', {
    kind: 'business', name: 'Dupont SARL', country: 'FR', language: 'fr', timezone: 'Europe/Paris', siren: '732829320',
    contacts: [{ name: 'Marie Dupont', email: 'marie.negligence@dupont.test' }],
    address: { lines: ['12 rue des Lilas'], postcode: '75011', city: 'Paris', country: 'FR' },
  })
  const clock = await post('/v1/test-clocks', { frozen_time: '2026-03-02T09:30:00Z' })
  const invoice = await post('/v1/invoices', { debtor_id: debtor.id, number: 'F-100', currency: 'EUR', amount_total: 120_000, issue_date: '2026-02-01', due_date: '2026-03-02' })
  const second = await post('/v1/invoices', { debtor_id: debtor.id, number: 'F-101', currency: 'EUR', amount_total: 30_000, issue_date: '2026-02-01', due_date: '2026-03-02' })
  const pdf = await invoicePdf('F-100')
  const upload = await ctx.inject({ method: 'PUT', url: `/v1/invoices/${invoice.id}/document?filename=F-100.pdf`, headers: { ...bearer(key), 'content-type': 'application/pdf' }, payload: pdf })
  t.equal(upload.statusCode, 200)
  await post('/v1/payments', { debtor_id: debtor.id, amount: 10_000, currency: 'EUR', received_on: '2026-03-03', allocations: [{ invoice_id: second.id, amount: 10_000 }] })
  let now = new Date('2026-03-02T09:30:00Z')
  for (let d = 0; d < 7; d++) {
    now = new Date(now.getTime() + 86_400_000)
    await post(`/v1/test-clocks/${clock.id}/advance`, { frozen_time: now.toISOString() })
  }

  // AR24 (scripted by the address): the debtor never opens the electronic registered letter; after 15 days AR24 issues a proof
  // of negligence, and its callback makes Relance fetch the mail and download the proofs.
  await fetch(`${ar24.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ days: 17 }) })
  const listed = await ctx.inject({ method: 'GET', url: `/v1/dispatches?debtor_id=${debtor.id}&step_key=formal_notice`, headers: bearer(key) })
  const formal = listed.json().data[0] as { id: string; provider_ref: string }
  const callback = await ctx.inject({ method: 'POST', url: '/v1/channel-callbacks/sandbox-ar24', payload: { type: 'mail', id_mail: Number(formal.provider_ref) } })
  t.ok(callback.statusCode < 300, `the AR24 callback is accepted (${callback.statusCode})`)

  const res = await ctx.inject({ method: 'GET', url: `/v1/debtors/${debtor.id}/dossier`, headers: bearer(key) })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/zip')
  t.match(res.headers['content-disposition'], /attachment; filename="dossier_dbt_.*_2026-03-09\.zip"/)
  const zip = unzipSync(new Uint8Array(res.rawPayload))
  const manifest = JSON.parse(Buffer.from(zip['manifest.json']!).toString('utf8')) as Manifest
  t.same(Object.keys(zip).sort(), ['manifest.json', ...manifest.files.map((f) => f.path)].sort(), 'the manifest lists every file of the ZIP')
  for (const file of manifest.files) {
    const bytes = zip[file.path]!
    t.ok(sha256Hex(Buffer.from(bytes)) === file.sha256 && bytes.length === file.size, `${file.path}: sha256 and size match`)
  }
  const invoiceFile = manifest.files.find((f) => f.path.startsWith('factures/'))!
  t.equal(invoiceFile.sha256, sha256Hex(pdf), 'the invoice PDF is the uploaded one, byte for byte')

  const byChannel = new Map(manifest.dispatches.map((d) => [d.channel, d]))
  t.same([...byChannel.keys()].sort(), ['email', 'letter', 'registered_email'], 'the three steps went out')
  t.ok(byChannel.get('email')!.files.some((p) => p.endsWith('/message.txt')), 'the email text as sent')
  const notice = byChannel.get('registered_email')!
  t.ok(notice.files.some((p) => p.includes('/preuves/sending_')), 'the proof of deposit and sending of the registered letter')
  t.ok(notice.files.some((p) => p.includes('/preuves/negligence_')), 'and the proof of negligence')
  const sentLetter = notice.files.find((p) => p.endsWith('/lettre-envoyee.pdf'))!
  t.equal(sha256Hex(Buffer.from(zip[sentLetter]!)), notice.letter_sha256, 'the formal notice PDF is the one sent (letter_sha256)')
  t.ok(byChannel.get('letter')!.files.some((p) => p.endsWith('/lettre-envoyee.pdf')), 'a simple letter is kept as sent too')

  const timeline = await pdfText(zip['chronologie.pdf']!)
  t.match(timeline, 'Facture F-100', 'the timeline names the invoices')
  t.match(timeline, 'reste dû 1 200,00 €', 'and shows the amounts due')
  t.match(timeline, 'reste dû 200,00 €', 'after the partial payment')
  t.match(timeline, 'Indemnité forfaitaire pour frais de recouvrement : 40,00 €', 'the €40 indemnity for a business')
  t.match(timeline, 'Prescription de l\'action : 2 mars 2031', 'five years for a business')
  t.match(timeline, 'Lettre recommandée électronique', 'the channels')
  t.match(timeline, 'non réclamé', 'and outcomes')
  t.match(timeline, 'Paiement reçu : 100,00 €', 'and the payment')
  t.match(manifest.claims.find((c) => c.number === 'F-100'), { indemnity: { applicable: true, amount: 4000 }, prescription_date: '2031-03-02' })
  t.ok(manifest.claims.every((c) => c.penalty.amount > 0), 'penalties have started to run')

  const actions = manifest.audit.entries.map((e) => e.action)
  for (const action of ['debtor.created', 'invoice.created', 'payment.created', 'dunning.step_due', 'dispatch.sent', 'proof.received']) {
    t.ok(actions.includes(action), `the audit slice has ${action}`)
  }
  t.ok(manifest.audit.entries.every((e) => entryIntact(e) && sha256Hex(e.canonical) === e.hash), 'every audit entry of the slice re-verifies')
  const verify = await ctx.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(key) })
  t.match(verify.json(), { ok: true, head: manifest.audit.head }, 'the chain head in the manifest is the live one')
  t.match(Buffer.from(zip['README.txt']!).toString('utf8'), /injonction de payer[\s\S]*sha256sum/)

  const one = await ctx.inject({ method: 'GET', url: `/v1/invoices/${second.id}/dossier`, headers: bearer(key) })
  t.equal(one.statusCode, 200)
  const oneManifest = JSON.parse(Buffer.from(unzipSync(new Uint8Array(one.rawPayload))['manifest.json']!).toString('utf8')) as Manifest
  t.same(oneManifest.invoices.map((i) => i.number), ['F-101'], 'an invoice dossier covers that invoice')
  t.notOk(oneManifest.audit.entries.some((e) => e.object_id === invoice.id), "and not the other invoice's changes")
  t.ok(oneManifest.audit.entries.some((e) => e.action === 'payment.created'), 'but the payment applied to it')

  const stranger = await createTenant(ctx, { name: 'Other' })
  for (const url of [`/v1/debtors/${debtor.id}/dossier`, `/v1/invoices/${invoice.id}/dossier`]) {
    const hidden = await ctx.inject({ method: 'GET', url, headers: bearer(stranger.key) })
    t.equal(hidden.statusCode, 404, `another tenant gets a 404 for ${url.split('/')[2]}`)
  }
})
