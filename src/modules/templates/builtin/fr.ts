import type { BuiltinTemplate } from '../template-fields.js'
import { emailHtml } from './html.js'

/** Built-in French templates: courteous and professional, firmer at each step, never threatening. */

const greeting = `Bonjour{% if debtor.contact_name != blank %} {{ debtor.contact_name }}{% endif %},`
const invoicesText = `{% for invoice in invoices %}- Facture {{ invoice.number }} du {{ invoice.issue_date }}, échéance le {{ invoice.due_date }} : {{ invoice.amount_due }}
{% endfor %}
Total restant dû : {{ total_due }}`
const invoicesHtml = `<table cellpadding="6" style="border-collapse:collapse;border:1px solid #ddd">
<tr style="background:#f4f4f4"><th align="left">Facture</th><th align="left">Date</th><th align="left">Échéance</th><th align="right">Reste dû</th></tr>
{% for invoice in invoices %}<tr><td>{{ invoice.number }}</td><td>{{ invoice.issue_date }}</td><td>{{ invoice.due_date }}</td><td align="right">{{ invoice.amount_due }}</td></tr>
{% endfor %}{% for total in totals %}{% if total.amount_due_minor > 0 %}<tr><td colspan="3"><strong>Total restant dû</strong></td><td align="right"><strong>{{ total.amount_due }}</strong></td></tr>{% endif %}{% endfor %}
</table>`
const payText = `{% if payment_link != blank %}Vous pouvez régler en ligne, en toute sécurité : {{ payment_link }}{% endif %}`
const payHtml = `{% if payment_link != blank %}<p><a href="{{ payment_link }}" style="background:#1a56db;color:#fff;padding:10px 16px;text-decoration:none;border-radius:4px">Régler en ligne</a></p>{% endif %}`
const signText = `Cordialement,

{% if creditor.signatory_name != blank %}{{ creditor.signatory_name }}{% if creditor.signatory_title != blank %}, {{ creditor.signatory_title }}{% endif %}
{% endif %}{{ creditor.name }}{% if creditor.email != blank %}
{{ creditor.email }}{% endif %}{% if creditor.phone != blank %}
{{ creditor.phone }}{% endif %}`
const subjectInvoices = `{% if invoice_count == 1 %}facture {{ invoices.first.number }}{% else %}{{ invoice_count }} factures{% endif %}`
const penaltiesText = `{% if penalties.applicable and debtor.is_consumer == false %}Nous vous rappelons que tout retard de paiement entraîne de plein droit des pénalités au {{ penalties.legal_basis }}{% if indemnity.applicable %}, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de {{ indemnity.per_invoice }} par facture{% if law.country == 'FR' %} (art. D441-5 du Code de commerce){% endif %}{% endif %}.{% endif %}`

/** An email template from its subject and paragraphs; the HTML part shows the invoices as a table. */
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
  return { key, channel: 'email', language: 'fr', fields: { subject, html, text } }
}

const letterClose = `Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.`

const formalNoticeBody = `Madame, Monsieur,

Malgré nos précédentes relances, nous constatons que {% if invoice_count == 1 %}la facture ci-dessous demeure impayée{% else %}les factures ci-dessous demeurent impayées{% endif %} à ce jour.

{{ invoice_table }}

Par la présente, nous vous mettons en demeure de nous régler la somme de {{ total_due }} {% if deadline != blank %}au plus tard le {{ deadline }}{% else %}dans un délai de huit jours à compter de la réception de ce courrier{% endif %}. Ce courrier vaut mise en demeure{% if law.country == 'FR' %} au sens de l'article 1344 du Code civil{% endif %}.

{% if law.country == 'FR' %}{% if debtor.is_consumer %}Conformément à l'article 1344-1 du Code civil, cette mise en demeure fait courir les intérêts au taux légal sur les sommes dues.{% else %}Ces sommes sont majorées de plein droit, sans qu'un rappel soit nécessaire, de pénalités de retard calculées au {{ penalties.legal_basis }}{% if penalties.rate != blank %}, soit {{ penalties.rate }} l'an, représentant {{ penalties.total }} au {{ today }}{% endif %}{% if indemnity.applicable %}, ainsi que de l'indemnité forfaitaire pour frais de recouvrement de {{ indemnity.per_invoice }} par facture prévue à l'article D441-5 du Code de commerce, soit {{ indemnity.total }}{% endif %}.{% endif %}{% endif %}

À défaut de règlement dans ce délai, nous nous réservons le droit d'engager sans autre avis une procédure de recouvrement judiciaire, notamment une requête en injonction de payer, ou de confier ce dossier à un commissaire de justice.

{% if payment_link != blank %}Vous pouvez régler en ligne : {{ payment_link }}. {% endif %}Si votre règlement a été effectué entre-temps, nous vous prions de ne pas tenir compte de ce courrier. Pour toute question, ou pour convenir d'un échéancier, vous pouvez nous contacter{% if creditor.email != blank %} à {{ creditor.email }}{% endif %}{% if creditor.phone != blank %} ou au {{ creditor.phone }}{% endif %}.

${letterClose}`

export const FR_TEMPLATES: BuiltinTemplate[] = [
  email(
    'reminder_courteous',
    `Rappel : échéance prochaine, ${subjectInvoices}`,
    `Nous nous permettons de vous rappeler que {% if invoice_count == 1 %}la facture suivante arrive{% else %}les factures suivantes arrivent{% endif %} prochainement à échéance.`,
    `Si le règlement est déjà programmé, merci de ne pas tenir compte de ce message. Nous restons à votre disposition pour toute question.`,
  ),
  email(
    'reminder_first',
    `Relance : ${subjectInvoices} échue{% if invoice_count > 1 %}s{% endif %}`,
    `Sauf erreur de notre part, {% if invoice_count == 1 %}la facture suivante n'a pas encore été réglée{% else %}les factures suivantes n'ont pas encore été réglées{% endif %}. Il s'agit sans doute d'un simple oubli.`,
    `Si vous avez effectué le paiement entre-temps, merci de ne pas tenir compte de ce message. En cas de question ou de désaccord sur ce montant, il vous suffit de répondre à cet e-mail.`,
  ),
  email(
    'reminder_firm',
    `Deuxième relance : ${subjectInvoices} impayée{% if invoice_count > 1 %}s{% endif %}`,
    `Malgré notre précédent rappel, nous n'avons pas reçu le règlement {% if invoice_count == 1 %}de la facture suivante{% else %}des factures suivantes{% endif %}. Nous vous remercions de procéder au paiement {% if deadline != blank %}au plus tard le {{ deadline }}{% else %}dans les meilleurs délais{% endif %}.`,
    `${penaltiesText} Si vous rencontrez une difficulté, contactez-nous : nous pouvons en discuter, y compris un échéancier.`,
  ),
  email(
    'thank_you',
    'Merci pour votre règlement',
    `Nous avons bien reçu votre règlement et vous en remercions. Votre compte est à jour pour {% if invoice_count == 1 %}la facture {{ invoices.first.number }}{% else %}les factures {{ invoice_numbers }}{% endif %}.`,
    `Nous vous remercions de votre confiance.`,
    false,
  ),
  email(
    'promise_confirmation',
    'Confirmation de votre engagement de paiement',
    `Nous vous remercions de votre échange avec nos services. Nous prenons note de votre engagement à régler {% if promise %}{{ promise.amount }} au plus tard le {{ promise.date }}{% else %}les sommes ci-dessous{% endif %}. Nous suspendons nos relances jusqu'à cette date.`,
    `Si un imprévu survient, prévenez-nous avant cette date afin que nous trouvions ensemble une solution.`,
  ),
  email(
    'promise_broken',
    'Votre engagement de paiement n’a pas été respecté',
    `Vous vous étiez engagé à régler {% if promise %}{{ promise.amount }} au plus tard le {{ promise.date }}{% else %}les sommes ci-dessous{% endif %}. Sauf erreur de notre part, nous n'avons pas reçu ce règlement, et nos relances reprennent donc.`,
    `Nous vous remercions de régulariser votre situation dans les meilleurs délais, ou de nous contacter sans attendre si vous rencontrez une difficulté.`,
  ),
  email(
    'instalment_missed',
    `Échéance{% if instalment %} n° {{ instalment.number }}{% endif %} de votre plan de paiement non réglée`,
    `L'échéance{% if instalment %} n° {{ instalment.number }} de {{ instalment.amount }}, prévue le {{ instalment.due_date }},{% endif %} de votre plan de paiement n'a pas été réglée à ce jour.`,
    `Merci de la régler rapidement afin que votre plan de paiement reste en vigueur. Si vous rencontrez une difficulté, contactez-nous : nous préférons adapter le plan plutôt que d'y mettre fin.`,
  ),
  ...(['reminder_courteous', 'reminder_first', 'reminder_firm'] as const).map((key): BuiltinTemplate => ({
    key,
    channel: 'sms',
    language: 'fr',
    fields: {
      text: {
        reminder_courteous: `{{ creditor.name }} : rappel, {{ total_due }} arrive à échéance le {{ invoices.first.due_date }} (${subjectInvoices}).{% if payment_link != blank %} Régler : {{ payment_link }}{% endif %}`,
        reminder_first: `{{ creditor.name }} : sauf erreur, {{ total_due }} reste à régler (${subjectInvoices}).{% if payment_link != blank %} Régler : {{ payment_link }}{% endif %} Déjà payé ? Ignorez ce message.`,
        reminder_firm: `{{ creditor.name }} : 2e relance, {{ total_due }} impayé(s) (${subjectInvoices}). Merci de régler{% if deadline != blank %} avant le {{ deadline }}{% endif %}.{% if payment_link != blank %} {{ payment_link }}{% endif %}`,
      }[key],
    },
  })),
  {
    key: 'call_script',
    channel: 'call_task',
    language: 'fr',
    fields: {
      script: `Appel de relance – {{ debtor.name }}{% if debtor.reference != blank %} (réf. client {{ debtor.reference }}){% endif %}
Contact : {{ debtor.contact_name | default: "service comptabilité" }}{% if debtor.phone != blank %} – {{ debtor.phone }}{% endif %}

1. Se présenter : « Bonjour, {{ creditor.signatory_name | default: "je vous appelle" }} de la part de {{ creditor.name }}, au sujet de votre compte client. »
2. Vérifier que l'interlocuteur est habilité à traiter les paiements.
3. Rappeler les sommes dues :
${invoicesText}
4. Demander si les factures ont bien été reçues et si elles posent un problème (litige, erreur, avoir attendu).
5. Obtenir une date et un montant de règlement précis ; proposer un échéancier si nécessaire.
6. Résultat à enregistrer : joint, promesse (date et montant), litige, mauvais numéro, pas de réponse.
{% if payment_link != blank %}Lien de paiement à communiquer : {{ payment_link }}{% endif %}

Rester courtois et factuel ; ne jamais menacer ni contacter un tiers au sujet de la dette.`,
    },
  },
  {
    key: 'letter_simple',
    channel: 'letter',
    language: 'fr',
    fields: {
      subject: `Relance – ${subjectInvoices} impayée{% if invoice_count > 1 %}s{% endif %}`,
      body: `Madame, Monsieur,

Sauf erreur de notre part, et malgré nos précédents rappels, {% if invoice_count == 1 %}la facture suivante reste impayée{% else %}les factures suivantes restent impayées{% endif %} à ce jour :

{{ invoice_table }}

Nous vous remercions de bien vouloir nous adresser votre règlement de {{ total_due }} {% if deadline != blank %}au plus tard le {{ deadline }}{% else %}dans les meilleurs délais{% endif %}.{% if payment_link != blank %} Vous pouvez également régler en ligne : {{ payment_link }}.{% endif %}

${penaltiesText}

Si votre règlement a été effectué entre-temps, nous vous prions de ne pas tenir compte de ce courrier. En cas de difficulté, n'hésitez pas à nous contacter afin de convenir d'une solution.

${letterClose}`,
    },
  },
  { key: 'formal_notice', channel: 'registered_letter', language: 'fr', fields: { subject: 'Mise en demeure de payer', body: formalNoticeBody } },
  { key: 'formal_notice', channel: 'registered_email', language: 'fr', fields: { subject: 'Mise en demeure de payer', body: formalNoticeBody } },
  {
    key: 'litigation_handoff',
    channel: 'litigation_handoff',
    language: 'fr',
    fields: {
      subject: 'Transmission au contentieux – {{ debtor.name }}',
      body: `Dossier transmis par {{ creditor.name }}{% if creditor.registration_id != blank %} ({{ creditor.registration_id }}){% endif %} le {{ today }}.

Débiteur : {{ debtor.name }}{% if debtor.reference != blank %}, réf. client {{ debtor.reference }}{% endif %} ({% if debtor.is_consumer %}particulier{% elsif debtor.is_public_body %}personne publique{% else %}professionnel{% endif %}).
{% for line in debtor.address_lines %}{{ line }}
{% endfor %}
{{ invoice_table }}

Principal restant dû : {{ total_due }}.{% if penalties.total != blank %} Pénalités de retard au {{ today }} : {{ penalties.total }} ({{ penalties.legal_basis }}).{% endif %}{% if indemnity.applicable %} Indemnités forfaitaires de recouvrement : {{ indemnity.total }} ({{ indemnity.count }} × {{ indemnity.per_invoice }}).{% endif %} Total réclamé : {{ total_claimed }}.

Les relances, la mise en demeure et leurs preuves de dépôt et de réception figurent au dossier de preuves associé.`,
    },
  },
]
