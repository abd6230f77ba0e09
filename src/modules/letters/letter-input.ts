/**
 * Everything a letter shows, already worded and formatted (the templates module did that): the
 * PDF renderer only lays it out.
 */
export interface LetterInput {
  sender: {
    name: string
    addressLines: string[]
    email?: string
    phone?: string
    registrationId?: string
  }
  recipient: { name: string; addressLines: string[] }
  /** "Paris, le 30 avril 2025" is built from these; `datePrefix` is "le" in French, "" in English. */
  place: string
  date: string
  /** Labels in the letter language: "Lettre recommandée avec accusé de réception", "Objet", … */
  labels: LetterLabels
  /** Registered letters and LRE carry the mention above the subject. */
  registered?: 'postal' | 'electronic'
  references: Array<{ label: string; value: string }>
  subject: string
  /** Paragraphs separated by blank lines; a paragraph that is exactly `[[invoice_table]]` places the table. */
  body: string
  invoices: Array<{ number: string; issueDate: string; dueDate: string; amountDue: string }>
  /** Lines under the table: total due, penalties, indemnities, total claimed. */
  totals: Array<{ label: string; value: string; strong?: boolean }>
  signature: { company: string; name?: string; title?: string }
}

export interface LetterLabels {
  datePrefix: string
  subject: string
  registeredPostal: string
  registeredElectronic: string
  invoice: string
  issueDate: string
  dueDate: string
  amountDue: string
  page: string
}

export const LETTER_LABELS: Record<'fr' | 'en', LetterLabels> = {
  fr: {
    datePrefix: 'le ',
    subject: 'Objet',
    registeredPostal: 'Lettre recommandée avec accusé de réception',
    registeredElectronic: 'Lettre recommandée électronique',
    invoice: 'Facture',
    issueDate: 'Date',
    dueDate: 'Échéance',
    amountDue: 'Reste dû',
    page: 'Page',
  },
  en: {
    datePrefix: '',
    subject: 'Subject',
    registeredPostal: 'Registered letter with acknowledgement of receipt',
    registeredElectronic: 'Electronic registered letter',
    invoice: 'Invoice',
    issueDate: 'Date',
    dueDate: 'Due date',
    amountDue: 'Outstanding',
    page: 'Page',
  },
}
