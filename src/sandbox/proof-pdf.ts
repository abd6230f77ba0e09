/** Small real PDFs for simulated proofs, so Relance can hash and store them like real ones. */
import PDFDocument from 'pdfkit'

export function proofPdf(title: string, lines: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title, Producer: 'Relance sandbox' } })
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc.fontSize(16).text(title)
    doc.moveDown().fontSize(10)
    for (const line of [...lines, 'SANDBOX — no legal value']) doc.text(line)
    doc.end()
  })
}
