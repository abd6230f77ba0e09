import { createHash } from 'node:crypto'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { PDFParse } from 'pdf-parse'
import t from 'tap'
import { letterFromContext } from '../../src/modules/letters/letter-from-context.js'
import { renderLetterPdf } from '../../src/modules/letters/letter-pdf.js'
import { findBuiltin } from '../../src/modules/templates/builtin/index.js'
import { PUBLISHED_RATE_TABLES } from '../law/rate-tables.fixture.js'
import { buildRenderContext } from '../../src/modules/templates/render-context.js'
import type { RenderInput } from '../../src/modules/templates/render-context.types.js'
import { renderFields } from '../../src/modules/templates/render-message.js'

/** Whitespace as pdf-parse gives it back (no-break spaces, line breaks) folded to single spaces. */
const flat = (s: string) => s.replace(/[\s\u00a0]+/g, ' ')

async function invoicePdf(number: string, pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create()
  const font = await doc.embedFont(StandardFonts.Helvetica)
  for (let i = 1; i <= pages; i++) doc.addPage().drawText(`INVOICE DOCUMENT ${number} PAGE ${i}`, { x: 50, y: 700, size: 14, font })
  return Buffer.from(await doc.save())
}

async function textOf(pdf: Buffer): Promise<{ text: string; pages: number }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) })
  try {
    const result = await parser.getText()
    return { text: flat(result.text), pages: result.total }
  } finally {
    await parser.destroy()
  }
}

const input: RenderInput = {
  language: 'fr',
  channel: 'registered_letter',
  stepKey: 'formal_notice',
  asOf: '2025-04-30',
  law: { country: 'FR', tables: PUBLISHED_RATE_TABLES },
  creditor: {
    name: 'Atelier Dupont SAS',
    email: 'compta@atelier-dupont.fr',
    registrationId: 'RCS Paris 123 456 789',
    postalAddress: { lines: ['12 rue de la Paix'], postcode: '75002', city: 'Paris', country: 'FR' },
    signatoryName: 'Claire Martin',
    signatoryTitle: 'Responsable comptabilité clients',
  },
  debtor: {
    name: 'Boulangerie Leroy SARL',
    kind: 'business',
    reference: 'CLI-0042',
    postalAddress: { lines: ['Service comptabilité', '8 avenue Jean Jaurès'], postcode: '69007', city: 'Lyon', country: 'FR' },
  },
  invoices: [
    { number: 'F-2025-0101', issueDate: '2025-02-28', dueDate: '2025-03-31', amount: 100_000, amountDue: 100_000, currency: 'EUR' },
    { number: 'F-2025-0117', issueDate: '2025-03-01', dueDate: '2025-03-31', amount: 150_000, amountDue: 23_456, currency: 'EUR' },
  ],
  deadline: '2025-05-10',
  dispatchId: 'dsp_01jtest',
}

t.test('a formal notice by registered letter, with the invoices appended', async (t) => {
  const context = buildRenderContext(input)
  const rendered = renderFields('registered_letter', findBuiltin('formal_notice', 'registered_letter', 'fr')!.fields, context)
  const letter = letterFromContext(context, { subject: rendered.subject!, body: rendered.body! }, 'postal')
  const appended = [await invoicePdf('F-2025-0101', 1), await invoicePdf('F-2025-0117', 2)]
  const { pdf, sha256 } = await renderLetterPdf(letter, appended)

  t.equal(sha256, createHash('sha256').update(pdf).digest('hex'))
  t.equal(pdf.subarray(0, 5).toString(), '%PDF-')
  const { text, pages } = await textOf(pdf)
  const letterPages = pages - 3
  t.ok(letterPages >= 1, `letter pages: ${letterPages}`)
  t.equal((await PDFDocument.load(pdf)).getPageCount(), pages, 'page count includes the 3 appended pages')
  t.match(text, 'INVOICE DOCUMENT F-2025-0101 PAGE 1')
  t.match(text, 'INVOICE DOCUMENT F-2025-0117 PAGE 2')

  t.match(text, 'Objet : Mise en demeure de payer')
  t.match(text, 'Lettre recommandée avec accusé de réception')
  t.match(text, 'Boulangerie Leroy SARL Service comptabilité 8 avenue Jean Jaurès 69007 LYON', 'recipient block')
  t.match(text, 'Atelier Dupont SAS 12 rue de la Paix 75002 PARIS', 'sender block')
  t.match(text, 'Paris, le 30 avril 2025')
  t.match(text, 'Réf. client : CLI-0042')
  // Table rows and totals: 1 000,00 + 234,56; penalties 10,81 + 2,54; 2 × 40 €
  t.match(text, 'F-2025-0101 28 février 2025 31 mars 2025 1 000,00 €')
  t.match(text, 'F-2025-0117 1er mars 2025 31 mars 2025 234,56 €')
  t.match(text, 'Total restant dû 1 234,56 €')
  t.match(text, 'Pénalités de retard au 30 avril 2025 13,35 €')
  t.match(text, 'Indemnités forfaitaires de recouvrement 80,00 €')
  t.match(text, 'Total réclamé 1 327,91 €')
  t.match(text, 'nous vous mettons en demeure de nous régler la somme de 1 234,56 € au plus tard le 10 mai 2025')
  t.match(text, 'Claire Martin Responsable comptabilité clients Atelier Dupont SAS')
  t.notMatch(text, '[[invoice_table]]')
})

t.test('a simple letter without appended PDFs, and a long one that runs onto more pages', async (t) => {
  const context = buildRenderContext({ ...input, channel: 'letter', language: 'en' })
  const rendered = renderFields('letter', findBuiltin('letter_simple', 'letter', 'en')!.fields, context)
  const simple = await renderLetterPdf(letterFromContext(context, { subject: rendered.subject!, body: rendered.body! }))
  const { text, pages } = await textOf(simple.pdf)
  t.equal(pages, 1)
  t.match(text, 'Subject: Reminder – 2 invoices unpaid'.replace(':', ' :'))
  t.notMatch(text, 'registered')
  t.match(text, 'Total outstanding €1,234.56')

  const many = Array.from({ length: 60 }, (_, i) => ({ ...input.invoices[0]!, number: `F-${1000 + i}` }))
  const long = buildRenderContext({ ...input, invoices: many })
  const body = `Madame, Monsieur,\n\n[[invoice_table]]\n\n${'Paragraphe de texte. '.repeat(80)}`
  const { text: longText, pages: longPages } = await textOf((await renderLetterPdf(letterFromContext(long, { subject: 'Relance', body }))).pdf)
  t.ok(longPages >= 2, 'the table flows onto a second page')
  t.match(longText, 'F-1059')
  t.match(longText, `Page 1 / ${longPages}`)
})
