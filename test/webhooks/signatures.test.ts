import type { AddressInfo } from 'node:net'
import { compactVerify, createRemoteJWKSet } from 'jose'
import { Webhook } from 'standardwebhooks'
import t from 'tap'
import { bearer } from '../helper.js'
import { createDebtor, createEndpoint, headerOf, startSink, webhookWorld, type Received } from './webhook-fixtures.js'

const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url')

/** jose, as a receiver would: the JWKS fetched over HTTP from the running app, the payload put back. */
async function verifyJws(jwksUrl: URL, got: Received, body = got.body, timestamp = headerOf(got, 'webhook-timestamp')) {
  const [header, empty, signature] = headerOf(got, 'relance-signature-jws').split('.')
  if (empty !== '') throw new Error('payload not detached')
  const content = `${headerOf(got, 'webhook-id')}.${timestamp}.${body}`
  const jwks = createRemoteJWKSet(jwksUrl)
  return compactVerify(`${header}.${b64url(content)}.${signature}`, jwks, { algorithms: ['EdDSA'] })
}

const standardHeaders = (got: Received) => ({
  'webhook-id': headerOf(got, 'webhook-id'),
  'webhook-timestamp': headerOf(got, 'webhook-timestamp'),
  'webhook-signature': headerOf(got, 'webhook-signature'),
})

t.test('a delivery verifies with the standardwebhooks package and with jose against the served JWKS', async (t) => {
  const world = await webhookWorld(t)
  const sink = await startSink(t)
  const endpoint = await createEndpoint(world, sink.url)
  t.match(endpoint, { object: 'webhook_endpoint', id: /^we_/, secret: /^whsec_[A-Za-z0-9+/]{43}=$/, enabled: true, enabled_events: ['*'] })
  const read = await world.api('GET', `/v1/webhook-endpoints/${endpoint.id}`)
  t.notOk('secret' in read.json(), 'the secret is shown at creation only')

  const debtorId = await createDebtor(world)
  const run = await world.pump()
  t.match(run, { attempted: 1, succeeded: 1 })
  t.equal(sink.received.length, 1)
  const got = sink.received[0]!

  const payload = new Webhook(endpoint.secret).verify(got.body, standardHeaders(got)) as Record<string, unknown>
  t.match(payload, { id: /^evt_/, type: 'debtor.created', tenant_id: world.tenantId, data: { object: { object: 'debtor', id: debtorId } } })
  t.same(Object.keys(payload), ['id', 'type', 'created_at', 'tenant_id', 'data'])
  t.equal(headerOf(got, 'webhook-id'), payload.id, 'webhook-id is the event id')
  t.match(headerOf(got, 'webhook-signature'), /^v1,[A-Za-z0-9+/]+=*$/)

  const event = await world.api('GET', `/v1/events/${String(payload.id)}`)
  t.match(event.json(), { object: 'event', id: payload.id, type: 'debtor.created', object_id: debtorId })

  await world.ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const jwksUrl = new URL(`http://127.0.0.1:${(world.ctx.app.server.address() as AddressInfo).port}/.well-known/jwks.json`)
  const verified = await verifyJws(jwksUrl, got)
  t.equal(verified.protectedHeader.alg, 'EdDSA')
  t.match(verified.protectedHeader.kid, /^wsk_/)
  t.equal(new TextDecoder().decode(verified.payload), `${payload.id}.${headerOf(got, 'webhook-timestamp')}.${got.body}`)

  const tampered = got.body.replace('Dupont SARL', 'Dupond SARL')
  t.not(tampered, got.body)
  t.throws(() => new Webhook(endpoint.secret).verify(tampered, standardHeaders(got)), /signature/i, 'standardwebhooks refuses a changed body')
  const laterTs = String(Number(headerOf(got, 'webhook-timestamp')) + 1)
  t.throws(() => new Webhook(endpoint.secret).verify(got.body, { ...standardHeaders(got), 'webhook-timestamp': laterTs }), 'and a changed timestamp')
  await t.rejects(verifyJws(jwksUrl, got, tampered), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' }, 'jose refuses a changed body')
  await t.rejects(verifyJws(jwksUrl, got, got.body, laterTs), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' }, 'and a changed timestamp')

  const log = await world.api('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)
  t.match(log.json().data, [{ object: 'webhook_delivery_attempt', attempt: 1, succeeded: true, status_code: 200, response_body: 'ok', event_id: payload.id, delivery_status: 'succeeded' }])
  t.type(log.json().data[0].latency_ms, 'number')
})

t.test('signing keys rotate with a platform key; the retired key stays published and old proofs verify', async (t) => {
  const world = await webhookWorld(t)
  const sink = await startSink(t)
  await createEndpoint(world, sink.url)
  await createDebtor(world, 'First SA')
  await world.pump()

  const refused = await world.api('POST', '/v1/signing-keys/rotate', { publish_ahead_seconds: 0 })
  t.equal(refused.statusCode, 403, 'a tenant key may not rotate Relance keys')
  const rotated = await world.ctx.inject({ method: 'POST', url: '/v1/signing-keys/rotate', headers: bearer(world.ctx.platformKey), payload: { publish_ahead_seconds: 0 } })
  t.equal(rotated.statusCode, 201)
  const newKid = rotated.json().kid as string

  await createDebtor(world, 'Second SA')
  await world.pump()
  t.equal(sink.received.length, 2)
  await world.ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const jwksUrl = new URL(`http://127.0.0.1:${(world.ctx.app.server.address() as AddressInfo).port}/.well-known/jwks.json`)
  const jwks = (await (await fetch(jwksUrl)).json()) as { keys: Array<Record<string, string>> }
  t.equal(jwks.keys.length, 2, 'both keys are published')
  t.match(jwks.keys[0], { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: newKid })
  const first = await verifyJws(jwksUrl, sink.received[0]!)
  const second = await verifyJws(jwksUrl, sink.received[1]!)
  t.not(first.protectedHeader.kid, newKid, 'the first proof was signed by the old key, which still verifies')
  t.equal(second.protectedHeader.kid, newKid, 'the next one by the new key')
})

t.test('secret rotation: during the overlap both secrets sign, then only the new one', async (t) => {
  const world = await webhookWorld(t)
  const sink = await startSink(t)
  const endpoint = await createEndpoint(world, sink.url)
  const rotated = await world.api('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { overlap_seconds: 3600 })
  t.equal(rotated.statusCode, 200)
  const newSecret = rotated.json().secret as string
  t.not(newSecret, endpoint.secret)
  t.ok(rotated.json().previous_secret_expires_at)

  await createDebtor(world)
  await world.pump()
  const during = sink.received[0]!
  t.equal(headerOf(during, 'webhook-signature').split(' ').length, 2, 'two v1 signatures, space-separated')
  t.ok(new Webhook(newSecret).verify(during.body, standardHeaders(during)), 'the new secret verifies')
  t.ok(new Webhook(endpoint.secret).verify(during.body, standardHeaders(during)), 'the old secret verifies during the overlap')

  await createDebtor(world, 'After SA')
  // Two hours later the overlap is over (the signature timestamp follows the pump's clock).
  const later = new Date(Date.now() + 2 * 3600_000)
  await world.pump(later)
  const after = sink.received[1]!
  t.equal(headerOf(after, 'webhook-signature').split(' ').length, 1)
  // standardwebhooks' verify checks the timestamp against the wall clock: compare with its own
  // signature as of the delivery's timestamp instead.
  const verifyAt = (secret: string) => {
    const expected = new Webhook(secret).sign(headerOf(after, 'webhook-id'), new Date(Number(headerOf(after, 'webhook-timestamp')) * 1000), after.body)
    return headerOf(after, 'webhook-signature') === expected
  }
  t.ok(verifyAt(newSecret), 'signed by the new secret')
  t.notOk(verifyAt(endpoint.secret), 'no longer by the old one')
})
