import type { BuiltinTemplate } from '../template-fields.js'
import { emailHtml } from './html.js'

/** Built-in English templates, same ladder and tone as the French ones. */

const greeting = `Dear {% if debtor.contact_name != blank %}{{ debtor.contact_name }}{% else %}Sir or Madam{% endif %},`
const invoicesText = `{% for invoice in invoices %}- Invoice {{ invoice.number }} dated {{ invoice.issue_date }}, due {{ invoice.due_date }}: {{ invoice.amount_due }}
{% endfor %}
Total outstanding: {{ total_due }}`
const invoicesHtml = `<table cellpadding="6" style="border-collapse:collapse;border:1px solid #ddd">
<tr style="background:#f4f4f4"><th align="left">Invoice</th><th align="left">Date</th><th align="left">Due</th><th align="right">Outstanding</th></tr>
{% for invoice in invoices %}<tr><td>{{ invoice.number }}</td><td>{{ invoice.issue_date }}</td><td>{{ invoice.due_date }}</td><td align="right">{{ invoice.amount_due }}</td></tr>
{% endfor %}{% for total in totals %}{% if total.amount_due_minor > 0 %}<tr><td colspan="3"><strong>Total outstanding</strong></td><td align="right"><strong>{{ total.amount_due }}</strong></td></tr>{% endif %}{% endfor %}
</table>`
const payText = `{% if payment_link != blank %}You can pay securely online: {{ payment_link }}{% endif %}`
const payHtml = `{% if payment_link != blank %}<p><a href="{{ payment_link }}" style="background:#1a56db;color:#fff;padding:10px 16px;text-decoration:none;border-radius:4px">Pay online</a></p>{% endif %}`
const signText = `Kind regards,

{% if creditor.signatory_name != blank %}{{ creditor.signatory_name }}{% if creditor.signatory_title != blank %}, {{ creditor.signatory_title }}{% endif %}
{% endif %}{{ creditor.name }}{% if creditor.email != blank %}
{{ creditor.email }}{% endif %}{% if creditor.phone != blank %}
{{ creditor.phone }}{% endif %}`
const subjectInvoices = `{% if invoice_count == 1 %}invoice {{ invoices.first.number }}{% else %}{{ invoice_count }} invoices{% endif %}`
const penaltiesText = `{% if penalties.applicable and debtor.is_consumer == false %}Please note that late payment automatically incurs penalties at the {{ penalties.legal_basis }}{% if indemnity.applicable %}, and a fixed recovery indemnity of {{ indemnity.per_invoice }} per invoice{% if law.country == 'FR' %} (art. D441-5 French Commercial Code){% endif %}{% endif %}.{% endif %}`

function email(key: string, subject: string, intro: string, outro: string, withInvoices = true): BuiltinTemplate {
  const text = [greeting, intro, withInvoices ? invoicesText : '', payText, outro, signText].join('\n\n')
  const html = emailHtml([
    `<p>${greeting}</p>`,
    `<p>${intro}</p>`,
    withInvoices ? invoicesHtml : '',
    payHtml,
    `<p>${outro}</p>`,
    `<p>${signText.replace(/\n/g, '<br>')}</p>`,
  ])
  return { key, channel: 'email', language: 'en', fields: { subject, html, text } }
}

const letterClose = 'Yours faithfully,'

const formalNoticeBody = `Dear Sir or Madam,

Despite our previous reminders, {% if invoice_count == 1 %}the invoice below remains{% else %}the invoices below remain{% endif %} unpaid.

{{ invoice_table }}

We hereby give you formal notice to pay the sum of {{ total_due }} {% if deadline != blank %}by {{ deadline }} at the latest{% else %}within eight days of receiving this letter{% endif %}. This letter is a formal notice{% if law.country == 'FR' %} (mise en demeure) within the meaning of article 1344 of the French Civil Code{% endif %}.

{% if law.country == 'FR' %}{% if debtor.is_consumer %}Under article 1344-1 of the French Civil Code, this formal notice causes interest at the legal rate to run on the sums due.{% else %}These sums automatically bear late-payment penalties, without any reminder being required, at the {{ penalties.legal_basis }}{% if penalties.rate != blank %}, i.e. {{ penalties.rate }} a year, amounting to {{ penalties.total }} as of {{ today }}{% endif %}{% if indemnity.applicable %}, together with the fixed recovery indemnity of {{ indemnity.per_invoice }} per invoice under article D441-5 of the French Commercial Code, i.e. {{ indemnity.total }}{% endif %}.{% endif %}{% endif %}

Failing payment within this period, we reserve the right to start court proceedings without further notice, in particular an application for an order for payment (injonction de payer), or to instruct a commissaire de justice.

{% if payment_link != blank %}You can pay online: {{ payment_link }}. {% endif %}If you have paid in the meantime, please disregard this letter. For any question, or to agree a payment schedule, please contact us{% if creditor.email != blank %} at {{ creditor.email }}{% endif %}{% if creditor.phone != blank %} or on {{ creditor.phone }}{% endif %}.

${letterClose}`

export const EN_TEMPLATES: BuiltinTemplate[] = [
  email(
    'reminder_courteous',
    `Reminder: ${subjectInvoices} due soon`,
    `This is a friendly reminder that {% if invoice_count == 1 %}the following invoice falls{% else %}the following invoices fall{% endif %} due shortly.`,
    `If payment is already scheduled, please disregard this message. We remain at your disposal for any question.`,
  ),
  email(
    'reminder_first',
    `Reminder: ${subjectInvoices} now overdue`,
    `According to our records, {% if invoice_count == 1 %}the following invoice has{% else %}the following invoices have{% endif %} not been paid yet. This is probably an oversight.`,
    `If you have paid in the meantime, please disregard this message. If you have a question or disagree with the amount, simply reply to this email.`,
  ),
  email(
    'reminder_firm',
    `Second reminder: ${subjectInvoices} unpaid`,
    `Despite our previous reminder, we have not received payment of {% if invoice_count == 1 %}the following invoice{% else %}the following invoices{% endif %}. Please arrange payment {% if deadline != blank %}by {{ deadline }} at the latest{% else %}as soon as possible{% endif %}.`,
    `${penaltiesText} If you are facing difficulties, please contact us: we are open to discussing a payment schedule.`,
  ),
  email(
    'thank_you',
    'Thank you for your payment',
    `We have received your payment, thank you. Your account is up to date for {% if invoice_count == 1 %}invoice {{ invoices.first.number }}{% else %}invoices {{ invoice_numbers }}{% endif %}.`,
    `Thank you for your business.`,
    false,
  ),
  email(
    'promise_confirmation',
    'Confirmation of your payment commitment',
    `Thank you for getting in touch. We have noted your commitment to pay {% if promise %}{{ promise.amount }} by {{ promise.date }}{% else %}the sums below{% endif %}, and we are pausing our reminders until then.`,
    `If anything changes, please let us know before that date so that we can find a solution together.`,
  ),
  email(
    'promise_broken',
    'Your payment commitment was not met',
    `You committed to pay {% if promise %}{{ promise.amount }} by {{ promise.date }}{% else %}the sums below{% endif %}. According to our records we have not received this payment, so our reminders resume.`,
    `Please settle your account as soon as possible, or contact us without delay if you are facing difficulties.`,
  ),
  email(
    'instalment_missed',
    `Instalment{% if instalment %} no. {{ instalment.number }}{% endif %} of your payment plan is unpaid`,
    `Instalment{% if instalment %} no. {{ instalment.number }} of {{ instalment.amount }}, due on {{ instalment.due_date }},{% endif %} of your payment plan has not been paid.`,
    `Please pay it promptly so that your payment plan stays in place. If you are facing difficulties, contact us: we would rather adjust the plan than end it.`,
  ),
  ...(['reminder_courteous', 'reminder_first', 'reminder_firm'] as const).map((key): BuiltinTemplate => ({
    key,
    channel: 'sms',
    language: 'en',
    fields: {
      text: {
        reminder_courteous: `{{ creditor.name }}: reminder, {{ total_due }} falls due on {{ invoices.first.due_date }} (${subjectInvoices}).{% if payment_link != blank %} Pay: {{ payment_link }}{% endif %}`,
        reminder_first: `{{ creditor.name }}: {{ total_due }} is now overdue (${subjectInvoices}).{% if payment_link != blank %} Pay: {{ payment_link }}{% endif %} Already paid? Please ignore.`,
        reminder_firm: `{{ creditor.name }}: second reminder, {{ total_due }} unpaid (${subjectInvoices}). Please pay{% if deadline != blank %} by {{ deadline }}{% endif %}.{% if payment_link != blank %} {{ payment_link }}{% endif %}`,
      }[key],
    },
  })),
  {
    key: 'call_script',
    channel: 'call_task',
    language: 'en',
    fields: {
      script: `Collection call – {{ debtor.name }}{% if debtor.reference != blank %} (customer ref. {{ debtor.reference }}){% endif %}
Contact: {{ debtor.contact_name | default: "accounts payable" }}{% if debtor.phone != blank %} – {{ debtor.phone }}{% endif %}

1. Introduce yourself: "Hello, this is {{ creditor.signatory_name | default: "a colleague" }} from {{ creditor.name }}, about your account."
2. Check you are speaking to someone who handles payments.
3. State what is due:
${invoicesText}
4. Ask whether the invoices were received and whether anything blocks payment (dispute, error, expected credit note).
5. Get a precise payment date and amount; offer a payment plan if needed.
6. Record the outcome: reached, promise (date and amount), dispute, wrong number, no answer.
{% if payment_link != blank %}Payment link to share: {{ payment_link }}{% endif %}

Stay courteous and factual; never threaten, and never discuss the debt with a third party.`,
    },
  },
  {
    key: 'letter_simple',
    channel: 'letter',
    language: 'en',
    fields: {
      subject: `Reminder – ${subjectInvoices} unpaid`,
      body: `Dear Sir or Madam,

According to our records, and despite our previous reminders, {% if invoice_count == 1 %}the following invoice remains{% else %}the following invoices remain{% endif %} unpaid:

{{ invoice_table }}

Please send us your payment of {{ total_due }} {% if deadline != blank %}by {{ deadline }} at the latest{% else %}as soon as possible{% endif %}.{% if payment_link != blank %} You can also pay online: {{ payment_link }}.{% endif %}

${penaltiesText}

If you have paid in the meantime, please disregard this letter. If you are facing difficulties, please contact us so that we can agree on a solution.

${letterClose}`,
    },
  },
  { key: 'formal_notice', channel: 'registered_letter', language: 'en', fields: { subject: 'Formal notice to pay', body: formalNoticeBody } },
  { key: 'formal_notice', channel: 'registered_email', language: 'en', fields: { subject: 'Formal notice to pay', body: formalNoticeBody } },
  {
    key: 'litigation_handoff',
    channel: 'litigation_handoff',
    language: 'en',
    fields: {
      subject: 'Litigation hand-off – {{ debtor.name }}',
      body: `File handed over by {{ creditor.name }}{% if creditor.registration_id != blank %} ({{ creditor.registration_id }}){% endif %} on {{ today }}.

Debtor: {{ debtor.name }}{% if debtor.reference != blank %}, customer ref. {{ debtor.reference }}{% endif %} ({% if debtor.is_consumer %}consumer{% elsif debtor.is_public_body %}public body{% else %}business{% endif %}).
{% for line in debtor.address_lines %}{{ line }}
{% endfor %}
{{ invoice_table }}

Principal outstanding: {{ total_due }}.{% if penalties.total != blank %} Late-payment penalties as of {{ today }}: {{ penalties.total }} ({{ penalties.legal_basis }}).{% endif %}{% if indemnity.applicable %} Fixed recovery indemnities: {{ indemnity.total }} ({{ indemnity.count }} × {{ indemnity.per_invoice }}).{% endif %} Total claimed: {{ total_claimed }}.

Reminders, the formal notice and their proofs of posting and receipt are in the associated evidence file.`,
    },
  },
]
