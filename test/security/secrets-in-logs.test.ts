/**
 * After an end-to-end run logged at the most verbose level (keys created and used, a provider
 * connection with credentials, a webhook endpoint and its secret rotated, reminders rendered and sent
 * over SMTP, failing requests carrying secrets), no log line holds an API key, a webhook secret, a
 * provider credential, an IBAN or the text of a message; credentials are ciphertext in the database.
 */
import t from 'tap'
import { startSmtp } from '../channels/smtp-kit.js'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'
import { HARDENING_ENV } from './seed-world.js'

const IBAN = 'FR7630006000011234567890189'
const IBAN_LOOKING = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b/
const BODY_MARKER = 'Reglez-par-virement-4217'

t.test('logs hold no key, webhook secret, provider credential, IBAN or message text', async (t) => {
  const lines: string[] = []
  const smtp = await startSmtp(t)
  const ctx = await buildTestApp(t, { ...HARDENING_ENV, LOG_LEVEL: 'trace' }, { logStream: { write: (line: string) => void lines.push(line) } })
  const { tenantId, key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox' })
  const send = async (method: 'POST' | 'PATCH' | 'GET', url: string, payload?: unknown, expected = 300) => {
    const res = await ctx.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload: payload as object }) })
    if (res.statusCode >= expected) throw new Error(`${method} ${url}: ${res.body}`)
    return res.json()
  }
  const smtpPassword = 's3cret' // what the test SMTP server accepts
  const providerToken = 'ar24-token-never-logged-7f3a9c'
  await send('POST', '/v1/channel-connections', {
    name: 'Relay', driver: 'email-smtp', channels: ['email'], credentials: { user: 'relance', pass: smtpPassword },
    settings: { host: '127.0.0.1', port: smtp.port, secure: false }, sender: { name: 'Garage Martin', email: 'compta@garage-martin.test' },
  })
  for (const template of ['reminder_courteous', 'reminder_first']) {
    await send('POST', '/v1/templates', {
      key: template, channel: 'email', language: 'fr',
      fields: { subject: 'Facture {{ invoice.number }}', html: `<p>${BODY_MARKER} sur le compte ${IBAN}.</p>`, text: `${BODY_MARKER} sur le compte ${IBAN}.` },
    })
  }
  const endpoint = await send('POST', '/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hooks', enabled_events: ['*'] })
  const rotated = await send('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {})
  const spareKey = await send('POST', '/v1/api-keys', { name: 'spare' })
  await ctx.inject({ method: 'GET', url: '/v1/debtors', headers: bearer(spareKey.secret) })
  const debtor = await send('POST', '/v1/debtors', {
    kind: 'business', name: 'Dupont SARL', country: 'FR', language: 'fr', metadata: { iban: IBAN },
    contacts: [{ name: 'Marie Dupont', email: 'marie@dupont.test' }],
  })
  await send('POST', '/v1/test-clocks', { frozen_time: '2026-03-02T09:30:00Z' })
  const clock = (await send('GET', '/v1/test-clocks')).data[0]
  await send('POST', '/v1/invoices', { debtor_id: debtor.id, number: 'F-1', currency: 'EUR', amount_total: 50_000, issue_date: '2026-02-01', due_date: '2026-03-05' })
  await send('POST', '/v1/payments', { debtor_id: debtor.id, amount: 100, currency: 'EUR', received_on: '2026-03-01', reference: `VIR ${IBAN}` })
  for (let day = 3; day <= 12; day++) await send('POST', `/v1/test-clocks/${clock.id}/advance`, { frozen_time: `2026-03-${String(day).padStart(2, '0')}T10:00:00Z` })
  const dispatches = (await send('GET', '/v1/dispatches')).data as { status: string; step_key: string; driver: string }[]
  t.ok(smtp.received.some((m) => m.raw.includes(BODY_MARKER)), `the reminders went out over SMTP with their text (${JSON.stringify(dispatches)})`)

  // Failures that carry secrets: a bad connection body, a wrong key, a broken JSON body.
  await ctx.inject({ method: 'POST', url: '/v1/channel-connections', headers: bearer(key), payload: { name: 'x', driver: 'nope', channels: ['email'], credentials: { token: providerToken }, sender: {} } })
  await ctx.inject({ method: 'GET', url: '/v1/debtors', headers: bearer(`${key.slice(0, -4)}zzzz`) })
  await ctx.inject({ method: 'POST', url: '/v1/debtors', headers: { ...bearer(key), 'content-type': 'application/json' }, payload: `{"name": "${IBAN}", ` })
  await ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(key), payload: { query: `{ debtor(id: "${IBAN}") { id } }` } })
  // Query strings carry data too: a GraphQL GET, a filter on a reference that is an IBAN.
  await ctx.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(`{ debtor(id: "${IBAN}") { id } }`)}`, headers: bearer(key) })
  await ctx.inject({ method: 'GET', url: `/v1/payments?external_ref=${IBAN}`, headers: bearer(key) })

  const all = lines.join('')
  t.ok(lines.length > 30, `${lines.length} log lines at trace level`)
  for (const [what, secret] of [
    ['tenant API key', key], ['spare API key', spareKey.secret], ['platform key', ctx.platformKey], ['webhook secret', endpoint.secret],
    ['rotated webhook secret', rotated.secret], ['SMTP password', smtpPassword], ['provider token', providerToken], ['IBAN', IBAN], ['message text', BODY_MARKER],
  ] as const) {
    t.notOk(all.includes(secret), `no ${what} in the logs`)
  }
  t.notMatch(all, /whsec_/, 'nothing that looks like a webhook secret')
  t.notMatch(all, /rl_(live|test|platform)_[A-Za-z0-9]{24}/, 'nothing that looks like an API key')
  t.notMatch(all, IBAN_LOOKING, 'nothing that looks like an IBAN')

  const [stored] = await systemQuery<{ credentials_sealed: string }>(ctx.database, 'select credentials_sealed from channel_connections where tenant_id = $1', [tenantId])
  t.notOk(stored!.credentials_sealed.includes(smtpPassword), 'the stored credentials do not hold the password')
  t.notOk(stored!.credentials_sealed.includes('relance'), 'nor the user name: the whole document is sealed')
  t.notMatch(stored!.credentials_sealed, /^\s*\{/, 'and are not JSON in the clear')
})
