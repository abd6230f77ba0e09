import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import type { Attachment } from '../channels/channel-driver.js'
import type { TemplateLookup } from '../templates/render-message.js'
import { LETTER_CHANNELS } from '../templates/template-fields.js'
import type { TemplateRow } from '../templates/templates.repository.js'
import { templates as templatesTable } from '../templates/templates.tables.js'
import type { CountryLaw } from '../law/country-law.js'
import { listLawRates, type LawRateRow } from '../law/law-rates.repository.js'
import type { RateTables } from '../law/rate-tables.js'
import type { ClaimedDispatch } from './dispatch-claim.repository.js'

/**
 * What rendering a batch reads from the database, fetched in two statements for the whole batch:
 * the tenants' own templates, and the invoice PDFs of the messages that carry them. Rendering and
 * sending then need no transaction per message.
 */
export interface MessageMaterial {
  templates: TemplateLookup
  /** A country law's dated rates (ECB, legal interest): formal notices state penalties from them. */
  rateTables(law: CountryLaw): RateTables
  invoicePdfs(d: ClaimedDispatch): Attachment[]
}

/** Emails attach the invoice PDFs, letters append them; SMS and call scripts carry none. */
const WITH_DOCUMENTS = new Set<string>(['email', ...LETTER_CHANNELS])

const key = (...parts: string[]) => parts.join('\u0000')

export async function fetchMaterial(tx: Tx, batch: ClaimedDispatch[]): Promise<MessageMaterial> {
  const addresses = [...new Map(batch.map((d) => [key(d.tenant_id, d.template, d.channel), d])).values()]
  const rows = addresses.length
    ? await tx
        .select()
        .from(templatesTable)
        .where(sql`(${templatesTable.tenantId}, ${templatesTable.key}, ${templatesTable.channel}) in (
          select unnest(${sql.param(addresses.map((d) => d.tenant_id))}::text[]), unnest(${sql.param(addresses.map((d) => d.template))}::text[]),
                 unnest(${sql.param(addresses.map((d) => d.channel))}::text[]))`)
    : []
  const templates = new Map<string, TemplateRow[]>()
  for (const row of rows) {
    const k = key(row.tenantId, row.key, row.channel)
    templates.set(k, [...(templates.get(k) ?? []), row])
  }

  const documented = batch.filter((d) => WITH_DOCUMENTS.has(d.channel))
  const invoices = documented.flatMap((d) => d.invoices.map((i) => ({ tenantId: d.tenant_id, invoiceId: i.invoice_id })))
  const documents = invoices.length
    ? await tx.execute<{ tenant_id: string; invoice_id: string; filename: string; content_type: string; content: string }>(sql`
        select x.tenant_id, x.invoice_id, x.filename, x.content_type, encode(x.content, 'base64') as content from invoice_documents x
        join (select unnest(${sql.param(invoices.map((i) => i.tenantId))}::text[]) as tenant_id,
                     unnest(${sql.param(invoices.map((i) => i.invoiceId))}::text[]) as invoice_id) w
          on w.tenant_id = x.tenant_id and w.invoice_id = x.invoice_id
        order by x.invoice_id`)
    : { rows: [] }
  const pdfs = new Map<string, Attachment[]>()
  for (const r of documents.rows) {
    const k = key(r.tenant_id, r.invoice_id)
    pdfs.set(k, [...(pdfs.get(k) ?? []), { filename: r.filename, contentType: r.content_type, content: Buffer.from(r.content, 'base64') }])
  }
  // The shared rate rows, read once for the batch; each tenant's law picks its series from them.
  const rateRows: LawRateRow[] = await listLawRates(tx)
  const tablesByCountry = new Map<string, RateTables>()
  return {
    rateTables: (law) => tablesByCountry.get(law.country) ?? tablesByCountry.set(law.country, law.rateTables(rateRows)).get(law.country)!,
    templates: async (tenantId, templateKey, channel, languages) =>
      (templates.get(key(tenantId, templateKey, channel)) ?? []).filter((t) => languages.includes(t.language)),
    invoicePdfs: (d) =>
      WITH_DOCUMENTS.has(d.channel) ? [...d.invoices].sort((a, b) => (a.invoice_id < b.invoice_id ? -1 : 1)).flatMap((i) => pdfs.get(key(d.tenant_id, i.invoice_id)) ?? []) : [],
  }
}
