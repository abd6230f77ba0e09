import t from 'tap'
import { DriverError, type ConnectionContext, type OutgoingMessage } from '../../src/modules/channels/channel-driver.js'
import { EmailSmtpDriver } from '../../src/modules/channels/drivers/email-smtp/email-smtp.driver.js'
import { leaves, parseMime } from './mime.js'
import { startSmtp } from './smtp-kit.js'


function connection(port: number, overrides: Partial<ConnectionContext> = {}): ConnectionContext {
  return {
    connectionId: 'conn_1',
    tenantId: 'ten_1',
    driver: 'email-smtp',
    mode: 'sandbox',
    credentials: { user: 'relance', pass: 's3cret' },
    settings: { host: '127.0.0.1', port, secure: false, from: 'relances@atelier-dupont.fr', reply_to: 'compta@atelier-dupont.fr' },
    sender: { name: 'Atelier Dupont SAS', email: 'compta@atelier-dupont.fr' },
    ...overrides,
  }
}

function message(to: string, dispatchId = 'dsp_01jsmtptest000000000000000'): OutgoingMessage {
  return {
    dispatchId,
    tenantId: 'ten_1',
    channel: 'email',
    recipient: { name: 'Boulangerie Leroy', kind: 'business', email: to, language: 'fr' },
    subject: 'Relance : facture F-2025-0101 échue',
    html: '<p>Bonjour, merci de régler <strong>1 234,56 €</strong>.</p>',
    text: 'Bonjour, merci de régler 1 234,56 €.',
    attachments: [{ filename: 'F-2025-0101.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 invoice bytes') }],
  }
}

const driver = new EmailSmtpDriver()

t.test('the email arrives with its subject, both parts, the attachment and a Message-ID from the dispatch id', async (t) => {
  const smtp = await startSmtp(t)
  const conn = connection(smtp.port)
  const result = await driver.send(conn, message('paul@boulangerie-leroy.fr'))
  t.match(result, { providerRef: '<dsp_01jsmtptest000000000000000@atelier-dupont.fr>', status: 'sent', rawStatus: /^250/ })

  t.equal(smtp.received.length, 1)
  const mail = smtp.received[0]!
  t.same({ from: mail.from, to: mail.to, user: mail.user }, { from: 'relances@atelier-dupont.fr', to: ['paul@boulangerie-leroy.fr'], user: 'relance' })
  const parsed = parseMime(mail.raw)
  t.equal(parsed.headers.get('subject'), 'Relance : facture F-2025-0101 échue')
  t.equal(parsed.headers.get('message-id'), result.providerRef)
  t.equal(parsed.headers.get('x-relance-dispatch-id'), 'dsp_01jsmtptest000000000000000')
  t.match(parsed.headers.get('from'), /Atelier Dupont SAS.*<relances@atelier-dupont\.fr>/)
  t.equal(parsed.headers.get('reply-to'), 'compta@atelier-dupont.fr')
  t.match(parsed.headers.get('to'), /Boulangerie Leroy.*<paul@boulangerie-leroy\.fr>/)

  const parts = leaves(parsed)
  const byType = (type: string) => parts.find((p) => p.headers.get('content-type')!.startsWith(type))!
  t.equal(byType('text/plain').body.toString('utf8').trim(), 'Bonjour, merci de régler 1 234,56 €.')
  t.equal(byType('text/html').body.toString('utf8').trim(), '<p>Bonjour, merci de régler <strong>1 234,56 €</strong>.</p>')
  const pdf = byType('application/pdf')
  t.match(pdf.headers.get('content-disposition'), /attachment; filename="?F-2025-0101\.pdf/)
  t.equal(pdf.body.toString(), '%PDF-1.4 invoice bytes')

  // The content proof is exactly what the server received.
  const proof = await driver.fetchProof(conn, result.proofs![0]!)
  t.match(proof, { filename: 'dsp_01jsmtptest000000000000000.eml', contentType: 'message/rfc822' })
  t.equal(proof.content.toString('utf8').replace(/\r\n/g, '\n').trim(), mail.raw.replace(/\r\n/g, '\n').trim())

  const again = await driver.send(conn, message('paul@boulangerie-leroy.fr'))
  t.equal(again.providerRef, result.providerRef, 'a resend of the same dispatch carries the same Message-ID')
})

t.test('a recipient refused with 550 bounced; 451 is transient; bad credentials are rejected', async (t) => {
  const smtp = await startSmtp(t)
  const conn = connection(smtp.port)
  const bounced = await driver.send(conn, message('nobody-reject@example.com'))
  t.match(bounced, { status: 'bounced', rawStatus: /^550 5\.1\.1 No such user here/, providerRef: /^<dsp_/ })

  const later = await driver.send(conn, message('busy-later@example.com')).catch((e: unknown) => e)
  t.type(later, DriverError)
  t.match(later, { kind: 'transient', providerCode: '451', message: /Greylisted/ })

  const badAuth = await driver.send(connection(smtp.port, { credentials: { user: 'relance', pass: 'wrong' } }), message('paul@example.com')).catch((e: unknown) => e)
  t.match(badAuth, { name: 'DriverError', kind: 'rejected', providerCode: '535' })
  t.equal(smtp.received.length, 0, 'nothing was delivered')
})

t.test('an unreachable server is transient; a connection without host is rejected', async (t) => {
  // Port 1 on loopback: nothing listens there, the connection is refused.
  const down = await driver.send(connection(1), message('paul@example.com')).catch((e: unknown) => e)
  t.match(down, { name: 'DriverError', kind: 'transient' })
  const noHost = await driver.send(connection(2525, { settings: {} }), message('paul@example.com')).catch((e: unknown) => e)
  t.match(noHost, { kind: 'rejected', providerCode: 'config' })
})

t.test('SMTP has no lookup, polling or callbacks', async (t) => {
  const conn = connection(25)
  t.equal(await driver.lookup(), null)
  t.same(await driver.poll(), [])
  t.same((await driver.parseCallback()).events, [])
  t.match(await driver.fetchProof(conn, { kind: 'receipt', locator: 'x' }).catch((e: unknown) => e), { kind: 'rejected' })
  t.equal(driver.name, 'email-smtp')
  t.same(driver.channels, ['email'])
})
