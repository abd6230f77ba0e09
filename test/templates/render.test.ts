import t from 'tap'
import { CHANNELS } from '../../src/modules/engine/scenario-definition.js'
import { BUILTIN_TEMPLATES, findBuiltin } from '../../src/modules/templates/builtin/index.js'
import { formatDate, formatMoney, formatPercent } from '../../src/modules/templates/format.js'
import { renderTemplate, TemplateSyntaxError, parseTemplate } from '../../src/modules/templates/liquid.js'
import { PUBLISHED_RATE_TABLES } from '../law/rate-tables.fixture.js'
import { buildRenderContext, type RenderInput } from '../../src/modules/templates/render-context.js'
import { fallbackLanguages, renderFields } from '../../src/modules/templates/render-message.js'
import { INVOICE_TABLE_MARKER, TEMPLATE_FIELDS } from '../../src/modules/templates/template-fields.js'
import { templateFieldErrors } from '../../src/modules/templates/templates.service.js'
import { DEFAULT_SCENARIOS } from '../../src/modules/engine/default-scenarios.js'

const NBSP = '\u00a0'
const flat = (s: string) => s.replace(/\u00a0/g, ' ')

function input(overrides: Partial<RenderInput> = {}): RenderInput {
  return {
    language: 'fr',
    channel: 'email',
    stepKey: 'firm_reminder',
    asOf: '2025-04-30',
    law: { country: 'FR', tables: PUBLISHED_RATE_TABLES },
    creditor: {
      name: 'Atelier Dupont SAS',
      email: 'compta@atelier-dupont.fr',
      postalAddress: { lines: ['12 rue de la Paix'], postcode: '75002', city: 'Paris', country: 'FR' },
      signatoryName: 'Claire Martin',
    },
    debtor: {
      name: 'Boulangerie Leroy SARL',
      kind: 'business',
      contactName: 'Paul Leroy',
      postalAddress: { lines: ['8 avenue Jean Jaurès'], postcode: '69007', city: 'Lyon', country: 'FR' },
    },
    invoices: [
      { number: 'F-1', issueDate: '2025-02-28', dueDate: '2025-03-31', amount: 100_000, amountDue: 100_000, currency: 'EUR' },
      { number: 'F-2', issueDate: '2025-03-01', dueDate: '2025-03-31', amount: 150_000, amountDue: 23_456, currency: 'EUR' },
    ],
    paymentLink: 'https://pay.example.com/i/abc',
    deadline: '2025-05-10',
    ...overrides,
  }
}

t.test('money, dates and rates are written the way each language writes them', async (t) => {
  t.equal(formatMoney(123_456, 'EUR', 'fr'), `1${NBSP}234,56${NBSP}€`)
  t.equal(formatMoney(123_456, 'EUR', 'en'), '€1,234.56')
  t.equal(formatMoney(1234, 'JPY', 'fr'), `1${NBSP}234${NBSP}JPY`)
  t.equal(formatMoney(5, 'EUR', 'fr'), `0,05${NBSP}€`)
  t.equal(formatMoney(900_719_925_474_099, 'EUR', 'en'), '€9,007,199,254,740.99', 'exact at the top of the safe range')
  t.equal(formatDate('2025-03-01', 'fr'), `1er${NBSP}mars 2025`)
  t.equal(formatDate('2025-03-15', 'en'), '15 March 2025')
  t.equal(formatPercent('12.15', 'fr'), `12,15${NBSP}%`)
  t.equal(formatPercent('12.15', 'en'), '12.15%')
})

t.test('the render context carries penalties and the €40 indemnity from the law module', async (t) => {
  const ctx = buildRenderContext(input())
  // F-1: 100 000 × 13.15 % × 30 / 365 = 1 080.82 → 1 081; F-2: 23 456 × 13.15 % × 30 / 365 = 253.53 → 254
  t.equal(ctx.invoices[0]!.penalty_minor, 1081)
  t.equal(ctx.invoices[1]!.penalty_minor, 254)
  t.equal(flat(ctx.total_due), '1 234,56 €')
  t.match(ctx.totals, [{ currency: 'EUR', amount_due_minor: 123_456, penalties_minor: 1335, indemnities_minor: 8000, total_claimed_minor: 132_791 }])
  t.match(ctx.indemnity, { applicable: true, count: 2, total_minor: 8000 })
  t.equal(flat(ctx.indemnity.total), '80,00 €')
  t.equal(flat(ctx.penalties.rate), '13,15 %')
  t.equal(ctx.invoices[0]!.days_late, 30)
  t.equal(ctx.invoice_table, '', 'no letter marker in an email')

  const consumer = buildRenderContext(input({ debtor: { name: 'Jean Petit', kind: 'consumer' }, channel: 'registered_letter' }))
  t.match(consumer.indemnity, { applicable: false, total_minor: 0 })
  t.equal(consumer.penalties.applicable, false, 'a consumer owes interest only once given notice')
  t.equal(consumer.invoice_table, INVOICE_TABLE_MARKER)

  const mixed = buildRenderContext(input({ invoices: [...input().invoices, { number: 'G-1', issueDate: '2025-03-01', dueDate: '2025-03-31', amount: 5000, amountDue: 5000, currency: 'GBP' }] }))
  t.equal(mixed.totals.length, 2, 'one total per currency')
  t.match(flat(mixed.total_due), /1 234,56 € \+ 50,00 £/)
})

t.test('a letter after the formal notice claims a consumer\'s legal interest, invoice by invoice', async (t) => {
  const debtor = { name: 'Jean Petit', kind: 'consumer' as const }
  // F-1 was given notice on 15 April 2025: legal interest (3.71 % in H1 2025, "autres cas") from 16 April.
  // 100 000 × 3.71 % × 15 / 365 = 152.47 → 152 cents. F-2 was never given notice: nothing.
  const invoices = input().invoices.map((i) => (i.number === 'F-1' ? { ...i, formalNoticeDate: '2025-04-15' } : i))
  const ctx = buildRenderContext(input({ debtor, invoices, channel: 'registered_letter', stepKey: 'litigation_warning' }))
  t.equal(ctx.invoices[0]!.penalty_minor, 152)
  t.equal(ctx.invoices[1]!.penalty_minor, 0)
  t.match(ctx.penalties, { applicable: true, basis: 'legal_interest', rate_decimal: '3.71' })
  t.match(ctx.penalties.legal_basis, "taux de l'intérêt légal, à compter de la mise en demeure")
  t.match(ctx.indemnity, { applicable: false, total_minor: 0 }, 'and still no €40 indemnity')
})

t.test('a tenant country without a law module: no amount, no French article, never a French computation', async (t) => {
  const ctx = buildRenderContext(input({ law: { country: 'DE', tables: PUBLISHED_RATE_TABLES }, channel: 'registered_letter', stepKey: 'formal_notice' }))
  t.same(ctx.law, { country: 'DE', statutory: false })
  t.ok(ctx.invoices.every((i) => i.penalty_minor === 0 && i.indemnity_minor === 0), 'no penalty or indemnity on any invoice')
  t.match(ctx.penalties, { applicable: false, basis: 'none', legal_basis: '', total: '' })
  t.match(ctx.indemnity, { applicable: false, per_invoice: '', total_minor: 0 })
  t.equal(ctx.totals[0]!.total_claimed_minor, 123_456, 'the principal only')
  const body = flat(renderFields('registered_letter', findBuiltin('formal_notice', 'registered_letter', 'fr')!.fields, ctx).body!)
  t.match(body, 'nous vous mettons en demeure de nous régler la somme de 1 234,56 €')
  for (const french of ['1344', 'L441-10', 'D441-5', '40,00', 'taux légal']) t.notMatch(body, french, `no "${french}"`)
  t.same(buildRenderContext(input()).law, { country: 'FR', statutory: true })
})

t.test('every template key of the default scenarios has a built-in in French and English', async (t) => {
  const needed = new Set<string>()
  for (const scenario of DEFAULT_SCENARIOS) {
    for (const step of [...scenario.definition.steps, ...scenario.definition.event_steps]) {
      for (const option of step.channels) needed.add(`${option.template}:${option.channel}`)
    }
  }
  t.ok(needed.size >= 12)
  for (const entry of needed) {
    const [key, channel] = entry.split(':') as [string, (typeof CHANNELS)[number]]
    for (const language of ['fr', 'en']) t.ok(findBuiltin(key, channel, language), `${key} ${channel} ${language}`)
  }
})

t.test('every built-in parses, has its channel fields and renders with no leftover Liquid', async (t) => {
  for (const template of BUILTIN_TEMPLATES) {
    const label = `${template.key} ${template.channel} ${template.language}`
    t.same(templateFieldErrors(template.channel, template.fields, template.language), [], label)
    const rendered = renderFields(template.channel, template.fields, buildRenderContext(input({ language: template.language, channel: template.channel })))
    t.same(Object.keys(rendered), [...TEMPLATE_FIELDS[template.channel]], label)
    for (const [field, value] of Object.entries(rendered)) {
      t.ok(value.length > 0, `${label} ${field} not empty`)
      t.notMatch(value, /\{\{|\{%|\n\n\n/, `${label} ${field} clean`)
    }
  }
})

t.test('French reminder email: amounts, link and escaped HTML', async (t) => {
  const template = findBuiltin('reminder_firm', 'email', 'fr')!
  const ctx = buildRenderContext(input({ debtor: { name: 'Dupond & <Fils>', kind: 'business', contactName: '<script>x</script>' } }))
  const out = renderFields('email', template.fields, ctx)
  t.equal(out.subject, 'Deuxième relance : 2 factures impayées')
  t.match(flat(out.text!), 'Bonjour <script>x</script>,', 'plain text keeps characters as typed')
  t.match(out.html!, 'Bonjour &lt;script&gt;x&lt;/script&gt;,', 'HTML escapes variables')
  t.notMatch(out.html!, '<script>')
  t.match(flat(out.text!), '- Facture F-1 du 28 février 2025, échéance le 31 mars 2025 : 1 000,00 €')
  t.match(flat(out.text!), 'Total restant dû : 1 234,56 €')
  t.match(out.text!, 'https://pay.example.com/i/abc')
  t.match(out.text!, 'au plus tard le 10 mai 2025')
  t.match(flat(out.text!), 'indemnité forfaitaire pour frais de recouvrement de 40,00 € par facture')
})

t.test('formal notice: the statutory wording for a business, and for a consumer', async (t) => {
  const template = findBuiltin('formal_notice', 'registered_letter', 'fr')!
  const business = renderFields('registered_letter', template.fields, buildRenderContext(input({ channel: 'registered_letter' })))
  t.equal(business.subject, 'Mise en demeure de payer')
  const body = flat(business.body!)
  t.match(body, 'nous vous mettons en demeure de nous régler la somme de 1 234,56 € au plus tard le 10 mai 2025')
  t.match(body, "article 1344 du Code civil")
  t.match(body, 'Ces sommes sont majorées de plein droit, sans qu\'un rappel soit nécessaire, de pénalités de retard calculées au taux appliqué par la Banque centrale européenne')
  t.match(body, '(art. L441-10 du Code de commerce)')
  t.match(body, 'soit 13,15 % l\'an, représentant 13,35 € au 30 avril 2025')
  t.match(body, "indemnité forfaitaire pour frais de recouvrement de 40,00 € par facture prévue à l'article D441-5 du Code de commerce, soit 80,00 €")
  t.match(body, 'injonction de payer')
  t.match(body, `\n\n${INVOICE_TABLE_MARKER}\n\n`, 'the table marker stands alone as a paragraph')

  const consumer = flat(renderFields('registered_letter', template.fields, buildRenderContext(input({ channel: 'registered_letter', debtor: { name: 'Jean Petit', kind: 'consumer' } }))).body!)
  t.match(consumer, "article 1344-1 du Code civil, cette mise en demeure fait courir les intérêts au taux légal")
  t.notMatch(consumer, '40,00', 'no €40 indemnity against a consumer')
  t.notMatch(consumer, 'L441-10')

  const english = renderFields('registered_email', findBuiltin('formal_notice', 'registered_email', 'en')!.fields, buildRenderContext(input({ language: 'en', channel: 'registered_email' })))
  t.equal(english.subject, 'Formal notice to pay')
  t.match(english.body!, 'We hereby give you formal notice to pay the sum of €1,234.56 by 10 May 2025 at the latest')
})

t.test('tenant Liquid is sandboxed and checked', async (t) => {
  t.throws(() => parseTemplate("{% include 'secrets' %}", 'plain'), TemplateSyntaxError, 'no include')
  t.throws(() => parseTemplate("{% render '/etc/passwd' %}", 'plain'), TemplateSyntaxError, 'no render')
  t.throws(() => parseTemplate('{{ x | no_such_filter }}', 'plain'), TemplateSyntaxError, 'unknown filter fails at parse')
  t.equal(renderTemplate('{{ missing.deep }}|{{ debtor.name.constructor }}', 'plain', { debtor: { name: 'A' } }), '|', 'missing or prototype properties render empty')
  t.equal(renderTemplate('{{ 123456 | money: "EUR" }} {{ d | format_date }} {{ "2.76" | percent }}', 'plain', { language: 'fr', d: '2025-07-14' }),
    `1${NBSP}234,56${NBSP}€ 14 juillet 2025 2,76${NBSP}%`)
  const errors = templateFieldErrors('email', { subject: '{% if x %}unclosed', html: '<p>ok</p>', text: 'ok', extra: 'x' }, 'fr')
  t.same(errors.map((e) => e.path), ['body.fields.extra', 'body.fields.subject'])
  t.match(errors[1]!.message, /Liquid syntax error/)
  t.same(templateFieldErrors('sms', {}, 'fr'), [{ path: 'body.fields.text', message: 'Required for sms templates' }])
})

t.test('language fallback: the debtor language, then English, then French', async (t) => {
  t.same(fallbackLanguages('de'), ['de', 'en', 'fr'])
  t.same(fallbackLanguages('fr'), ['fr', 'en'])
  t.same(fallbackLanguages('en'), ['en', 'fr'])
})
