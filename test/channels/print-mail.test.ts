import t from 'tap'
import type { ConnectionContext, OutgoingMessage, ProviderEvent } from '../../src/modules/channels/channel-driver.js'
import { PrintMailDriver, subscribePrintMailCallbacks } from '../../src/modules/channels/drivers/print-mail/index.js'
import { startPrintMailSimulator, type PrintMailSimulator } from '../../src/sandbox/print-mail-simulator.js'
import { proofPdf } from '../../src/sandbox/proof-pdf.js'
import { driverError, isPdf, message, startCallbackReceiver, waitFor, type CallbackReceiver } from './channel-test-kit.js'

const driver = new PrintMailDriver()
let sim: PrintMailSimulator
let receiver: CallbackReceiver
let letterPdf: Buffer

function connection(sandbox: PrintMailSimulator = sim, credentials: Record<string, string> = {}): ConnectionContext {
  return {
    connectionId: 'chc_print',
    tenantId: 'ten_test',
    driver: 'print-mail',
    mode: 'sandbox',
    credentials: { ...sandbox.credentials, ...credentials },
    settings: { api_url: sandbox.apiUrl, auth_url: sandbox.authUrl },
    sender: { name: 'Acme SAS', email: 'recouvrement@acme.test', postalAddress: { lines: ['1 avenue des Créanciers'], postcode: '69001', city: 'LYON', country: 'FR' } },
  }
}

function letter(street: string, channel: OutgoingMessage['channel'] = 'registered_letter'): OutgoingMessage {
  return message({
    channel,
    letterPdf,
    recipient: { name: 'SARL Débiteur', kind: 'business', language: 'fr', postalAddress: { lines: [street], postcode: '75002', city: 'PARIS', country: 'FR' } },
  })
}

const advance = (sandbox: PrintMailSimulator, days: number) => fetch(`${sandbox.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ days }) })
const final = (events: ProviderEvent[]) => [...events].reverse().find((e) => e.status !== null)!

t.before(async () => {
  letterPdf = await proofPdf('Mise en demeure de payer', ['Facture F-2026-001 : 1 200,00 EUR'])
  receiver = await startCallbackReceiver(driver, () => connection())
  sim = await startPrintMailSimulator({ timeScale: 0, callbackUrl: receiver.url }) // frozen: the test drives time
})
t.teardown(async () => {
  await sim.close()
  await receiver.close()
})

t.test('LRAR delivered: deposit proof, D01 then N01 with the scanned AR, cost', async (t) => {
  const msg = letter('12 rue de la Paix')
  const sent = await driver.send(connection(), msg)
  t.equal(sent.status, 'sent')
  t.equal(sent.rawStatus, 'PENDING')
  t.match(sent.providerRef, /^registered_mail\/v2\/sendings\//)
  t.equal(sim.stats.sendsByRef[msg.dispatchId], 1)

  await advance(sim, 5)
  const events = await driver.poll(connection(), sent.providerRef)
  t.same(events.map((e) => [e.rawStatus, e.status]), [
    ['ACCEPTED', null], ['PROCESSED', 'sent'], ['DEPOSIT_PROOF', 'sent'], ['A01', null], ['D01', 'delivered'], ['N01', 'delivered'],
  ])
  t.ok(events.every((e) => e.dispatchId === msg.dispatchId), 'custom_id comes back')
  const proofs = events.flatMap((e) => e.proofs ?? [])
  t.same(proofs.map((p) => p.kind), ['deposit', 'scanned_ar'])
  for (const proof of proofs) t.ok(isPdf((await driver.fetchProof(connection(), proof)).content), `${proof.kind}: a PDF out of the zip`)

  const found = await driver.lookup(connection(), msg.dispatchId)
  t.equal(found?.status, 'delivered')
  t.same(found?.cost, { amount: 536, currency: 'EUR' })
  const archive = found?.proofs?.find((p) => p.kind === 'content')
  t.same((await driver.fetchProof(connection(), archive!)).content, letterPdf, 'the archived letter is the one we sent')

  await waitFor('the AR callback', () => receiver.events.some((e) => e.providerRef === sent.providerRef && e.rawStatus === 'N01'))
  t.ok(receiver.answered.length >= 4 && receiver.answered.every((code) => code === 201), 'every callback answered 201')
})

for (const [street, status, reason, proofKind] of [
  ['3 rue du Refuse', 'refused', 'P04', 'refusal'],
  ['4 impasse negligence', 'not_claimed', 'P03', 'negligence'],
  ['5 rue pnd-a23', 'undelivered', 'A23', 'undelivered'],
  ['6 rue pnd-a21', 'undelivered', 'A21', 'undelivered'],
] as const) {
  t.test(`LRAR ${status} (${street}): reason ${reason}, scan as ${proofKind}`, async (t) => {
    const sent = await driver.send(connection(), letter(street))
    await advance(sim, 1)
    t.equal(final(await driver.poll(connection(), sent.providerRef)).status, 'sent', 'posted, not yet presented')
    await advance(sim, 20)
    const last = final(await driver.poll(connection(), sent.providerRef))
    t.equal(last.status, status)
    t.equal(last.reason, reason)
    t.equal(last.proofs?.[0]?.kind, proofKind)
    t.ok(isPdf((await driver.fetchProof(connection(), last.proofs![0]!)).content))
  })
}

t.test('simple letters go through mail/v2: no AR, delivered or undelivered with the code', async (t) => {
  const ok = await driver.send(connection(), letter('8 rue Simple', 'letter'))
  const pnd = await driver.send(connection(), letter('9 rue pnd-a22', 'letter'))
  t.match(ok.providerRef, /^mail\/v2\/sendings\//)
  await advance(sim, 10)
  const delivered = await driver.poll(connection(), ok.providerRef)
  t.equal(final(delivered).status, 'delivered')
  t.same(delivered.flatMap((e) => e.proofs ?? []), [], 'no deposit proof or AR for a simple letter')
  const undelivered = final(await driver.poll(connection(), pnd.providerRef))
  t.same([undelivered.status, undelivered.rawStatus, undelivered.reason], ['undelivered', 'N10', 'A22'])
  t.same((await driver.lookup(connection(), pnd.providerRef)), null, 'lookup takes our dispatch id, not the provider reference')
})

t.test('lookup finds a letter submitted before a crash: the simulator printed it once', async (t) => {
  const msg = letter('10 rue du Crash')
  const sent = await driver.send(connection(), msg)
  const found = await driver.lookup(connection(), msg.dispatchId)
  t.equal(found?.providerRef, sent.providerRef)
  t.equal(sim.stats.sendsByRef[msg.dispatchId], 1)
  t.equal(await driver.lookup(connection(), 'dsp_never_sent'), null)
})

t.test('the OAuth token is reused until revoked, then fetched once again', async (t) => {
  await driver.send(connection(), letter('11 rue du Jeton'))
  const before = sim.stats.tokensIssued
  await driver.send(connection(), letter('11 rue du Jeton'))
  t.equal(sim.stats.tokensIssued, before, 'cached')
  sim.revokeTokens()
  await driver.send(connection(), letter('11 rue du Jeton'))
  t.equal(sim.stats.tokensIssued, before + 1, 'refreshed once after a 401')
})

t.test('callbacks authenticate with the Basic credentials Relance configured', async (t) => {
  const sent = await driver.send(connection(), letter('12 rue des Rappels'))
  await advance(sim, 1)
  const body = Buffer.from(JSON.stringify({ event_type: 'ON_STATUS_ACCEPTED', resource_type: 'registered_mail/v2/sendings', resource_id: sent.providerRef.split('/').pop() }))
  const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`
  const good = await driver.parseCallback(connection(), { headers: { authorization: basic('relance', 'sandbox-callback-password') }, query: {}, body })
  t.equal(good.reply.statusCode, 201)
  t.ok(good.events.length > 0)
  for (const authorization of [basic('relance', 'wrong'), basic('other', 'sandbox-callback-password'), undefined]) {
    t.equal((await driver.parseCallback(connection(), { headers: { authorization }, query: {}, body }).catch((e: unknown) => e) as { kind?: string }).kind, 'unauthorized')
  }

  // A provider presenting the wrong credentials gets 401 and retries on Maileva's schedule, then gives up.
  const liar = await startPrintMailSimulator({ timeScale: 0, callbackUrl: receiver.url, callbackAuth: { login: 'relance', password: 'stolen' }, retryMsPerMinute: 0.05 })
  t.teardown(() => liar.close())
  await driver.send(connection(liar), letter('13 rue Menteuse'))
  await advance(liar, 1)
  await waitFor('the provider to give up', () => liar.stats.callbacks.abandoned >= 1)
  t.ok(liar.stats.callbacks.responses.every((code) => code === 401), 'every attempt refused with 401')
  t.ok(liar.stats.callbacks.attempts >= 11, 'first try plus 10 retries')
})

t.test('subscriptions register the callback URL with Basic credentials', async (t) => {
  const ids = await subscribePrintMailCallbacks(connection(), 'https://relance.example/callbacks/print-mail')
  t.equal(ids.length, 8)
  t.equal(sim.stats.subscriptions, 8)
})

t.test('errors: 4xx are rejections with the provider code, 5xx and transport are transient', async (t) => {
  const expect = async (promise: Promise<unknown>, kind: string, code: string | undefined) => {
    const error = await driverError(promise)
    t.same([error.kind, error.providerCode], [kind, code], error.message)
  }
  await expect(driver.send(connection(), letter('14 rue reject')), 'rejected', 'invalid_address')
  await expect(driver.send(connection(), letter('15 rue maintenance')), 'transient', 'service_unavailable')
  await expect(driver.send(connection(sim, { password: 'wrong' }), letter('16 rue Mot de Passe')), 'rejected', 'invalid_grant')
  await expect(driver.send(connection(), { ...letter('17 rue'), recipient: { name: 'X', kind: 'consumer', language: 'fr' } }), 'rejected', 'missing_address')
  await expect(driver.send(connection(), letter('18 rue', 'registered_email')), 'rejected', 'unsupported_channel')
  await expect(driver.poll({ ...connection(), settings: { api_url: 'http://127.0.0.1:9/', auth_url: sim.authUrl } }, 'mail/v2/sendings/abc'), 'transient', undefined)
  await expect(driver.fetchProof(connection(), { kind: 'deposit', locator: 'https://evil.test/x' }), 'rejected', 'invalid_proof_locator')
})

t.test('with the default compressed clock a letter reaches its end by itself, callbacks included', async (t) => {
  // The receiver must exist before the simulator (its URL), and read from that simulator once started.
  const target: { sim?: PrintMailSimulator } = {}
  const fastReceiver = await startCallbackReceiver(driver, () => connection(target.sim))
  const fast = await startPrintMailSimulator({ callbackUrl: fastReceiver.url })
  target.sim = fast
  t.teardown(async () => {
    await fast.close()
    await fastReceiver.close()
  })
  const sent = await driver.send(connection(fast), letter('19 rue Rapide'))
  await waitFor('delivery', () => fastReceiver.events.some((e) => e.providerRef === sent.providerRef && e.rawStatus === 'N01'))
  t.pass('AR received through the callback within seconds')
})
