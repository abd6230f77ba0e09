import { createHash } from 'node:crypto'
import PDFDocument from 'pdfkit'
import { PDFDocument as PdfLibDocument } from 'pdf-lib'
import { INVOICE_TABLE_MARKER } from '../templates/template-fields.js'
import type { LetterInput } from './letter-input.js'

/**
 * A French business letter on A4, laid out for a window envelope.
 *
 * Recipient block: x = 110 mm from the left edge, y = 50 mm from the top, 85 mm wide, at most
 * 35 mm tall (name + 6 address lines at 10 pt). An A4 sheet folded in three into a DL envelope
 * (110 × 220 mm) puts that block inside the standard French window of 100 × 45 mm placed 20 mm from
 * the right edge and 15 mm from the bottom (window spans x 100–200 mm, y 50–95 mm of the envelope),
 * with 10 mm of play on the left and 10 mm below for the sheet sliding in the envelope; a C5 window
 * envelope (162 × 229 mm, same window position from the right and top) shows the same zone.
 */
const MM = 72 / 25.4
const PAGE = { width: 210 * MM, height: 297 * MM }
const MARGIN = { left: 20 * MM, right: 20 * MM, top: 15 * MM, bottom: 20 * MM }
const RECIPIENT = { x: 110 * MM, y: 50 * MM, width: 85 * MM, height: 35 * MM }
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right
const FONT = 'Helvetica'
const BOLD = 'Helvetica-Bold'

type Doc = PDFKit.PDFDocument

function senderBlock(doc: Doc, letter: LetterInput): void {
  doc.font(BOLD).fontSize(11).text(letter.sender.name, MARGIN.left, MARGIN.top, { width: 85 * MM })
  doc.font(FONT).fontSize(9)
  for (const line of letter.sender.addressLines) doc.text(line, { width: 85 * MM })
  for (const extra of [letter.sender.phone, letter.sender.email, letter.sender.registrationId]) if (extra) doc.text(extra, { width: 85 * MM })
}

function recipientBlock(doc: Doc, letter: LetterInput): void {
  const lines = [letter.recipient.name, ...letter.recipient.addressLines].slice(0, 7)
  doc.font(BOLD).fontSize(10).text(lines[0]!, RECIPIENT.x, RECIPIENT.y, { width: RECIPIENT.width, lineBreak: false, ellipsis: true })
  doc.font(FONT)
  for (const line of lines.slice(1)) doc.text(line, RECIPIENT.x, doc.y, { width: RECIPIENT.width, lineBreak: false, ellipsis: true })
}

function headingBlock(doc: Doc, letter: LetterInput): void {
  const place = letter.place ? `${letter.place}, ${letter.labels.datePrefix}${letter.date}` : letter.date
  doc.font(FONT).fontSize(10).text(place, RECIPIENT.x, RECIPIENT.y + RECIPIENT.height + 4 * MM, { width: RECIPIENT.width })
  doc.y = RECIPIENT.y + RECIPIENT.height + 13 * MM
  if (letter.registered) {
    const mention = letter.registered === 'postal' ? letter.labels.registeredPostal : letter.labels.registeredElectronic
    doc.font(BOLD).fontSize(10).text(mention, MARGIN.left, doc.y, { width: CONTENT_WIDTH })
    doc.moveDown(0.5)
  }
  doc.font(FONT).fontSize(9)
  for (const ref of letter.references) doc.text(`${ref.label} : ${ref.value}`, MARGIN.left, doc.y, { width: CONTENT_WIDTH })
  doc.moveDown(0.8)
  doc.font(BOLD).fontSize(10.5).text(`${letter.labels.subject} : ${letter.subject}`, MARGIN.left, doc.y, { width: CONTENT_WIDTH })
  doc.moveDown(1)
}

/** Starts a new page when fewer than `needed` points remain. */
function ensureRoom(doc: Doc, needed: number): void {
  if (doc.y + needed > PAGE.height - MARGIN.bottom) {
    doc.addPage()
    doc.y = MARGIN.top
  }
}

const COLUMNS = [
  { width: 60 * MM, align: 'left' as const },
  { width: 35 * MM, align: 'left' as const },
  { width: 35 * MM, align: 'left' as const },
  { width: 40 * MM, align: 'right' as const },
]

function tableRow(doc: Doc, cells: string[], bold: boolean): void {
  ensureRoom(doc, 16)
  const y = doc.y
  let x = MARGIN.left
  doc.font(bold ? BOLD : FONT).fontSize(9.5)
  cells.forEach((cell, i) => {
    doc.text(cell, x + 2, y, { width: COLUMNS[i]!.width - 4, align: COLUMNS[i]!.align, lineBreak: false, ellipsis: true })
    x += COLUMNS[i]!.width
  })
  doc.y = y + 14
}

function invoiceTable(doc: Doc, letter: LetterInput): void {
  if (!letter.invoices.length) return
  const { labels } = letter
  tableRow(doc, [labels.invoice, labels.issueDate, labels.dueDate, labels.amountDue], true)
  doc.moveTo(MARGIN.left, doc.y - 3).lineTo(MARGIN.left + CONTENT_WIDTH, doc.y - 3).lineWidth(0.5).stroke()
  for (const invoice of letter.invoices) tableRow(doc, [invoice.number, invoice.issueDate, invoice.dueDate, invoice.amountDue], false)
  doc.moveTo(MARGIN.left, doc.y - 2).lineTo(MARGIN.left + CONTENT_WIDTH, doc.y - 2).stroke()
  for (const total of letter.totals) {
    ensureRoom(doc, 16)
    const y = doc.y + 2
    doc.font(total.strong ? BOLD : FONT).fontSize(9.5)
    doc.text(total.label, MARGIN.left + 2, y, { width: 130 * MM - 4, lineBreak: false, ellipsis: true })
    doc.text(total.value, MARGIN.left + 130 * MM, y, { width: 40 * MM - 2, align: 'right', lineBreak: false })
    doc.y = y + 13
  }
  doc.moveDown(1)
}

function bodyAndTable(doc: Doc, letter: LetterInput): void {
  const paragraphs = letter.body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)
  let tablePlaced = false
  for (const paragraph of paragraphs) {
    if (paragraph === INVOICE_TABLE_MARKER) {
      invoiceTable(doc, letter)
      tablePlaced = true
      continue
    }
    ensureRoom(doc, 30)
    doc.font(FONT).fontSize(10.5).text(paragraph, MARGIN.left, doc.y, { width: CONTENT_WIDTH, align: 'justify', lineGap: 1.5 })
    doc.moveDown(0.8)
  }
  // A tenant template without the marker still shows what is claimed, after its text.
  if (!tablePlaced) invoiceTable(doc, letter)
}

function signatureBlock(doc: Doc, letter: LetterInput): void {
  ensureRoom(doc, 60)
  doc.moveDown(1)
  const x = RECIPIENT.x
  const lines = [letter.signature.name, letter.signature.title, letter.signature.company].filter((l): l is string => !!l)
  doc.font(BOLD).fontSize(10.5).text(lines[0]!, x, doc.y, { width: RECIPIENT.width })
  doc.font(FONT)
  for (const line of lines.slice(1)) doc.text(line, x, doc.y, { width: RECIPIENT.width })
}

function pageNumbers(doc: Doc, label: string): void {
  const range = doc.bufferedPageRange()
  if (range.count < 2) return
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i)
    doc.font(FONT).fontSize(8).text(`${label} ${i + 1} / ${range.count}`, MARGIN.left, PAGE.height - 12 * MM, {
      width: CONTENT_WIDTH,
      align: 'right',
      lineBreak: false,
    })
  }
}

function renderLetter(letter: LetterInput): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN.top, bottom: 0, left: MARGIN.left, right: MARGIN.right },
      bufferPages: true,
      info: { Title: letter.subject, Author: letter.sender.name, Creator: 'Relance' },
    })
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    senderBlock(doc, letter)
    recipientBlock(doc, letter)
    headingBlock(doc, letter)
    bodyAndTable(doc, letter)
    signatureBlock(doc, letter)
    pageNumbers(doc, letter.labels.page)
    doc.end()
  })
}

/**
 * The letter, then every page of each appended PDF (the invoices), as one document, and its sha256,
 * which the dispatch stores so the evidence file can prove which bytes were posted.
 */
export async function renderLetterPdf(letter: LetterInput, appendPdfs: Buffer[] = []): Promise<{ pdf: Buffer; sha256: string }> {
  let pdf = await renderLetter(letter)
  if (appendPdfs.length) {
    const merged = await PdfLibDocument.load(pdf)
    for (const bytes of appendPdfs) {
      const source = await PdfLibDocument.load(bytes, { ignoreEncryption: true })
      const pages = await merged.copyPages(source, source.getPageIndices())
      for (const page of pages) merged.addPage(page)
    }
    pdf = Buffer.from(await merged.save())
  }
  return { pdf, sha256: createHash('sha256').update(pdf).digest('hex') }
}
