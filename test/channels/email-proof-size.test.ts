import { randomBytes } from 'node:crypto'
import t from 'tap'
import type { ConnectionContext } from '../../src/modules/channels/channel-driver.js'
import { EmailSmtpDriver } from '../../src/modules/channels/drivers/email-smtp/email-smtp.driver.js'
import { collectProofs } from '../../src/modules/dispatch/proofs.js'
import { buildTestApp, createTenant, systemQuery } from '../helper.js'
import { startSmtp } from './smtp-kit.js'

// Regression: the SMTP driver carries the whole .eml in its proof locator, and a unique btree index
// on the raw locator refused any e-mail above ~2.7 KB (a real reminder listing a few invoices),
// failing the dispatch after the e-mail had gone. `npm run demo` found it.
t.test('the .eml proof of a long e-mail is stored once, whatever its size', async (t) => {
  const smtp = await startSmtp(t)
  const ctx = await buildTestApp(t)
  const { tenantId } = await createTenant(ctx)
  const conn: ConnectionContext = {
    connectionId: 'conn_1', tenantId, driver: 'email-smtp', mode: 'sandbox', credentials: { user: 'relance', pass: 's3cret' },
    settings: { host: '127.0.0.1', port: smtp.port, secure: false }, sender: { name: 'Atelier Dupont SAS', email: 'compta@atelier-dupont.fr' },
  }
  const driver = new EmailSmtpDriver()
  const dispatchId = 'dsp_01jsmtplargeproof00000000'
  const filler = randomBytes(6_000).toString('base64') // incompressible, like a real HTML body once encoded
  const sent = await driver.send(conn, {
    dispatchId, tenantId, channel: 'email', recipient: { name: 'Boulangerie Leroy', kind: 'business', email: 'paul@boulangerie-leroy.fr', language: 'fr' },
    subject: 'Relance : factures échues', html: `<p>${filler}</p>`, text: filler, attachments: [],
  })
  const pending = sent.proofs!.map((proof) => ({ dispatchId, proof }))
  t.ok(pending[0]!.proof.locator.length > 8_000, 'the locator is far above a btree entry')
  t.equal(await collectProofs(ctx.database.db, conn, driver, pending), 1, 'the proof is stored')
  t.equal(await collectProofs(ctx.database.db, conn, driver, pending), 0, 'and not twice')
  const rows = await systemQuery<{ n: string }>(ctx.database, 'select count(*) as n from dispatch_proofs where dispatch_id = $1', [dispatchId])
  t.equal(Number(rows[0]!.n), 1)
})
