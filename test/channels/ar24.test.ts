import t from 'tap'
import { type ConnectionContext, type ProviderEvent } from '../../src/modules/channels/channel-driver.js'
import { Ar24Driver } from '../../src/modules/channels/drivers/ar24/index.js'
import { startAr24Simulator, type Ar24Simulator } from '../../src/sandbox/ar24-simulator.js'
import { proofPdf } from '../../src/sandbox/proof-pdf.js'
import { driverError, isPdf, message, startCallbackReceiver, waitFor, type CallbackReceiver } from './channel-test-kit.js'

const driver = new Ar24Driver()
let sim: Ar24Simulator
let receiver: CallbackReceiver

function connection(credentials: Record<string, string> = {}): ConnectionContext {
  return {
    connectionId: 'chc_ar24',
    tenantId: 'ten_test',
    driver: 'ar24',
    mode: 'sandbox',
    credentials: { ...sim.credentials, ...credentials },
    settings: { base_url: sim.apiUrl },
    sender: { name: 'Acme SAS', email: 'recouvrement@acme.test' },
  }
}

const recipient = (email: string) => ({ name: 'Jeanne Martin', kind: 'business' as const, email, language: 'fr' })
const last = (events: ProviderEvent[]) => events.at(-1)!

t.before(async () => {
  sim = await startAr24Simulator({ timeScale: 0 }) // frozen: the test drives time
  receiver = await startCallbackReceiver(driver, () => connection())
  sim.setCallbackUrl(receiver.url)
})
t.teardown(async () => {
  await sim.close()
  await receiver.close()
})

t.test('delivered: waiting → ev → AR, with the sending and receipt proofs as PDFs', async (t) => {
  const letter = await proofPdf('Mise en demeure', ['Facture F-1'])
  const msg = message({ recipient: recipient('jeanne@client.test'), letterPdf: letter })
  const sent = await driver.send(connection(), msg)
  t.equal(sent.status, 'sent')
  t.equal(sent.rawStatus, 'waiting')
  t.same(sent.cost, { amount: 349, currency: 'EUR' })
  t.equal(sim.stats.sendsByRef[msg.dispatchId], 1)

  await fetch(`${sim.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ days: 2 }) })
  const events = await driver.poll(connection(), sent.providerRef)
  t.same(events.map((e) => [e.rawStatus, e.status]), [['ev', 'sent'], ['AR', 'delivered']])
  t.equal(events[0]!.dispatchId, msg.dispatchId, 'our reference comes back in custom_ref')
  t.ok(events[1]!.occurredAt > events[0]!.occurredAt)

  const proofs = events.flatMap((e) => e.proofs ?? [])
  t.same(proofs.map((p) => p.kind), ['sending', 'receipt'])
  for (const proof of proofs) t.ok(isPdf((await driver.fetchProof(connection(), proof)).content), `${proof.kind} proof is a PDF`)

  await waitFor('the delivered callback', () => receiver.events.some((e) => e.providerRef === sent.providerRef && e.status === 'delivered'))
  t.ok(receiver.answered.every((code) => code === 200), 'every callback answered 200')
})

for (const [email, raw, status, proofKind] of [
  ['refuse@client.test', 'refused', 'refused', 'refusal'],
  ['negligence@client.test', 'negligence', 'not_claimed', 'negligence'],
  ['bounce@client.test', 'bounced', 'bounced', 'undelivered'],
] as const) {
  t.test(`${status}: the recipient ${email} ends ${raw}`, async (t) => {
    const sent = await driver.send(connection(), message({ recipient: recipient(email) }))
    await fetch(`${sim.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ hours: 1 }) })
    const early = await driver.poll(connection(), sent.providerRef)
    t.equal(last(early).status, status === 'bounced' ? 'bounced' : 'sent', 'an hour later')

    await fetch(`${sim.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ days: 17 }) })
    const events = await driver.poll(connection(), sent.providerRef)
    t.equal(last(events).status, status)
    t.equal(last(events).rawStatus, raw)
    const proof = last(events).proofs?.[0]
    t.equal(proof?.kind, proofKind)
    const fetched = await driver.fetchProof(connection(), proof!)
    t.ok(isPdf(fetched.content))
    t.match(fetched.filename, /\.pdf$/)
  })
}

t.test('negligence needs the whole 15 days after notification', async (t) => {
  const sent = await driver.send(connection(), message({ recipient: recipient('negligence-2@client.test') }))
  await fetch(`${sim.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ days: 15 }) })
  t.equal(last(await driver.poll(connection(), sent.providerRef)).status, 'sent', 'day 15: still waiting for the recipient')
  await fetch(`${sim.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ days: 1, hours: 1 }) })
  t.equal(last(await driver.poll(connection(), sent.providerRef)).status, 'not_claimed')
})

t.test('lookup finds a mail sent before a crash, so nothing is sent twice', async (t) => {
  const msg = message({ recipient: recipient('crash@client.test') })
  const sent = await driver.send(connection(), msg) // the worker "dies" before recording this
  const found = await driver.lookup(connection(), msg.dispatchId)
  t.equal(found?.providerRef, sent.providerRef)
  t.equal(sim.stats.sendsByRef[msg.dispatchId], 1)
  t.equal(await driver.lookup(connection(), 'dsp_never_sent'), null)
})

t.test('the sender can be named by e-mail instead of id', async (t) => {
  const conn = connection()
  delete conn.credentials.user_id
  conn.credentials.user_email = 'sender@relance.test'
  const sent = await driver.send(conn, message({ recipient: recipient('by-email@client.test') }))
  t.ok(sent.providerRef)
})

t.test('callbacks are only hints: the state comes from an authenticated re-read', async (t) => {
  const sent = await driver.send(connection(), message({ recipient: recipient('hint@client.test') }))
  const body = Buffer.from(JSON.stringify({ type: 'mail', id_mail: Number(sent.providerRef), status: 'AR' }))
  const result = await driver.parseCallback(connection(), { headers: {}, query: {}, body })
  t.equal(result.reply.statusCode, 200)
  t.same(result.events.map((e) => e.status), [null], 'a forged "AR" in the body changes nothing: the mail is still waiting')

  const user = await driver.parseCallback(connection(), { headers: {}, query: {}, body: Buffer.from('type=user&id=1001') })
  t.same(user.events, [], 'user status changes carry no dispatch event')

  const forged = await driverError(driver.parseCallback(connection(), { headers: {}, query: {}, body: Buffer.from('{"type":"mail","id_mail":999}') }))
  t.equal(forged.kind, 'unauthorized', 'a mail this connection cannot read is refused')
})

t.test('errors: ERROR slugs are rejections, maintenance and transport failures are transient', async (t) => {
  const expect = async (promise: Promise<unknown>, kind: string, code?: string) => {
    const error = await driverError(promise)
    t.same([error.kind, error.providerCode], [kind, code], error.message)
  }
  await expect(driver.send(connection(), message({ recipient: recipient('reject@client.test') })), 'rejected', 'invalid_recipient')
  await expect(driver.send(connection(), message({ recipient: recipient('maintenance@client.test') })), 'transient', 'maintenance')
  await expect(driver.send(connection({ private_key: 'wrong-key' }), message({ recipient: recipient('a@client.test') })), 'rejected', 'signature_invalid')
  await expect(driver.send(connection({ token: 'wrong' }), message({ recipient: recipient('a@client.test') })), 'rejected', 'token_invalid')
  await expect(driver.send(connection(), message({ recipient: { name: 'No Mail', kind: 'consumer', language: 'fr' } })), 'rejected', 'missing_email')
  const down = { ...connection(), settings: { base_url: 'http://127.0.0.1:9/api/' } }
  await expect(driver.poll(down, '1'), 'transient', undefined)
  await expect(driver.fetchProof(connection(), { kind: 'receipt', locator: 'http://evil.test/get/proof/ar-1' }), 'rejected', 'foreign_proof_url')
})

t.test('with the default compressed clock a whole lifecycle completes by itself within seconds', async (t) => {
  const fast = await startAr24Simulator({ callbackUrl: receiver.url })
  t.teardown(() => fast.close())
  const conn = { ...connection(), settings: { base_url: fast.apiUrl } }
  const sent = await driver.send(conn, message({ recipient: recipient('negligence-fast@client.test') }))
  await waitFor('negligence', async () => last(await driver.poll(conn, sent.providerRef)).status === 'not_claimed')
  t.pass('not claimed after 16 simulated days')
})
