import t from 'tap'
import { withTenant } from '../../src/db/client.js'
import { buildRenderContext } from '../../src/modules/templates/render-context.js'
import { PUBLISHED_RATE_TABLES } from '../law/rate-tables.fixture.js'
import { renderInputFromData } from '../../src/modules/templates/render-data.schema.js'
import { renderMessage } from '../../src/modules/templates/render-message.js'
import { AppError } from '../../src/shared/errors.js'
import { bearer, buildTestApp, createTenant, type TestApp } from '../helper.js'

const flat = (s: string) => s.replace(/\u00a0/g, ' ')

function client(ctx: TestApp, key: string) {
  return {
    get: (url: string) => ctx.inject({ method: 'GET', url, headers: bearer(key) }),
    post: (url: string, payload: unknown) => ctx.inject({ method: 'POST', url, headers: bearer(key), payload: payload as object }),
    delete: (url: string) => ctx.inject({ method: 'DELETE', url, headers: bearer(key) }),
  }
}

const firmEmail = {
  key: 'reminder_firm',
  channel: 'email',
  language: 'fr',
  fields: {
    subject: 'Relance {{ debtor.name }} : {{ total_due }}',
    html: '<p>Bonjour {{ debtor.contact_name }}, merci de régler {{ total_due }}.</p>',
    text: 'Bonjour {{ debtor.contact_name }}, merci de régler {{ total_due }} avant le {{ deadline }}.',
  },
}

t.test('a tenant saves, lists, reads, replaces and deletes its own template', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const api = client(ctx, key)

  const created = await api.post('/v1/templates', firmEmail)
  t.equal(created.statusCode, 200, created.body)
  const template = created.json()
  t.match(template, { object: 'template', id: /^tpl_[0-9a-z]{26}$/, key: 'reminder_firm', channel: 'email', language: 'fr', version: 1 })

  const replaced = await api.post('/v1/templates', { ...firmEmail, fields: { ...firmEmail.fields, subject: 'Deuxième relance' } })
  t.equal(replaced.statusCode, 200)
  t.match(replaced.json(), { id: template.id, version: 2, fields: { subject: 'Deuxième relance' } }, 'same address: replaced, version bumped')

  const listed = await api.get('/v1/templates?channel=email')
  t.same(listed.json().data.map((x: { id: string }) => x.id), [template.id])
  t.equal((await api.get(`/v1/templates/${template.id}`)).json().version, 2)

  const deleted = await api.delete(`/v1/templates/${template.id}`)
  t.same(deleted.json(), { object: 'template', id: template.id, deleted: true })
  t.equal((await api.get(`/v1/templates/${template.id}`)).statusCode, 404)
})

t.test('invalid Liquid is refused at save time with the field named', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const api = client(ctx, key)
  const broken = await api.post('/v1/templates', { ...firmEmail, fields: { ...firmEmail.fields, subject: 'Relance {% if debtor.name %}' } })
  t.equal(broken.statusCode, 400)
  t.equal(broken.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(broken.json(), { code: 'validation_failed', errors: [{ path: 'body.fields.subject', message: /Liquid syntax error/ }] })

  const include = await api.post('/v1/templates', { key: 'x', channel: 'sms', language: 'fr', fields: { text: "{% include 'a' %}" } })
  t.match(include.json(), { status: 400, errors: [{ path: 'body.fields.text', message: /not available/ }] })

  const missing = await api.post('/v1/templates', { key: 'x', channel: 'letter', language: 'fr', fields: { subject: 'S' } })
  t.match(missing.json(), { errors: [{ path: 'body.fields.body', message: 'Required for letter templates' }] })
  t.equal((await api.get('/v1/templates')).json().data.length, 0, 'nothing saved')
})

t.test('preview renders drafts, overrides and built-ins with sample or given data', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const api = client(ctx, key)

  const builtin = await api.post('/v1/templates/preview', { key: 'formal_notice', channel: 'registered_letter', language: 'fr' })
  t.equal(builtin.statusCode, 200, builtin.body)
  t.match(builtin.json(), { object: 'template_preview', source: 'builtin', language: 'fr', rendered: { subject: 'Mise en demeure de payer' } })
  t.match(builtin.json().variables, { creditor: { name: 'Atelier Dupont SAS' }, indemnity: { applicable: true } })

  const draft = await api.post('/v1/templates/preview', {
    ...firmEmail,
    data: {
      debtor: { name: 'Café <Central>', kind: 'consumer', contact_name: 'Léa' },
      invoices: [{ number: 'A-1', issue_date: '2025-01-01', due_date: '2025-01-31', amount: 99_999, amount_due: 99_999, currency: 'EUR' }],
      deadline: '2025-06-01',
    },
  })
  t.match(draft.json(), { source: 'draft', version: null })
  const rendered = draft.json().rendered
  t.equal(flat(rendered.subject), 'Relance Café <Central> : 999,99 €')
  t.equal(flat(rendered.html), '<p>Bonjour Léa, merci de régler 999,99 €.</p>')
  t.equal(flat(rendered.text), 'Bonjour Léa, merci de régler 999,99 € avant le 1er juin 2025.')

  const german = await api.post('/v1/templates/preview', { key: 'reminder_first', channel: 'email', language: 'de' })
  t.match(german.json(), { source: 'builtin', language: 'en', rendered: { subject: 'Reminder: 2 invoices now overdue' } }, 'falls back to English')

  const unknown = await api.post('/v1/templates/preview', { key: 'no_such_key', channel: 'email', language: 'fr' })
  t.equal(unknown.statusCode, 422)
})

t.test('renderMessage: tenant override, then built-in, per language, and only for its tenant', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createTenant(ctx)
  const b = await createTenant(ctx, { name: 'Other SAS', mode: 'sandbox' })
  const saved = await client(ctx, a.key).post('/v1/templates', firmEmail)
  t.equal(saved.statusCode, 200)
  const context = buildRenderContext(renderInputFromData({}, 'email', 'fr', '2025-04-30', { country: 'FR', tables: PUBLISHED_RATE_TABLES }))
  const address = { key: 'reminder_firm', channel: 'email' as const, language: 'fr' }

  const own = await withTenant(ctx.database.db, a.tenantId, (tx) => renderMessage(tx, a.tenantId, address, context))
  t.match(own.template, { source: 'tenant', version: 1, templateId: saved.json().id })
  t.equal(flat(own.subject!), 'Relance Boulangerie Leroy SARL : 1 434,56 €')

  const other = await withTenant(ctx.database.db, b.tenantId, (tx) => renderMessage(tx, b.tenantId, address, context))
  t.match(other.template, { source: 'builtin', templateId: null })
  t.equal(other.subject, 'Deuxième relance : 2 factures impayées')
  t.equal((await client(ctx, b.key).get(`/v1/templates/${saved.json().id}`)).statusCode, 404, "another tenant's template is a 404")

  const english = await withTenant(ctx.database.db, a.tenantId, (tx) => renderMessage(tx, a.tenantId, { ...address, language: 'en' }, context))
  t.match(english.template, { source: 'builtin', language: 'en' }, 'the French override does not answer for English')

  await t.rejects(
    withTenant(ctx.database.db, a.tenantId, (tx) => renderMessage(tx, a.tenantId, { key: 'nope', channel: 'sms', language: 'fr' }, context)),
    AppError,
  )
})
