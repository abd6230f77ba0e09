import { createHash } from 'node:crypto'
import t from 'tap'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { startAr24Simulator } from '../../src/sandbox/ar24-simulator.js'
import { startPrintMailSimulator } from '../../src/sandbox/print-mail-simulator.js'
import { waitFor } from '../channels/channel-test-kit.js'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'
import { debtorWithInvoice, poster, queueDispatch } from './dispatch-fixtures.js'

const FINAL = ['delivered', 'refused', 'not_claimed', 'undelivered', 'bounced', 'failed']

t.test('provider callbacks over real HTTP move each dispatch to its outcome, with proofs, once', async (t) => {
  const ctx = await buildTestApp(t)
  const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const callbacks = `${base}/v1/channel-callbacks`
  const ar24 = await startAr24Simulator({ timeScale: 0, callbackUrl: `${callbacks}/sandbox-ar24`, retryMsPerMinute: 1 })
  const sandboxMail = await startPrintMailSimulator({ timeScale: 0, callbackUrl: `${callbacks}/sandbox-print-mail`, retryMsPerMinute: 1 })
  const ownMail = await startPrintMailSimulator({ timeScale: 0, retryMsPerMinute: 1, callbackAuth: { login: 'acme', password: 'acme-callback-secret' } })
  t.teardown(() => Promise.all([ar24.close(), sandboxMail.close(), ownMail.close()]))
  // The app was built before the simulators had ports: point the sandbox defaults at them now.
  Object.assign(ctx.app.dispatchDeps.sandbox, { ar24Url: ar24.apiUrl, printMailApiUrl: sandboxMail.apiUrl, printMailAuthUrl: sandboxMail.authUrl })
  ctx.app.dispatchDeps.publicUrl = base

  const sandboxTenant = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox' })
  const ownTenant = await createTenant(ctx, { name: 'Acme SAS', mode: 'sandbox' })
  const connection = await poster(ctx, ownTenant.key)('/v1/channel-connections', {
    name: 'Our print-mail account', driver: 'print-mail', channels: ['registered_letter'],
    credentials: ownMail.credentials, settings: { api_url: ownMail.apiUrl, auth_url: ownMail.authUrl },
    sender: { name: 'Acme SAS', postal_address: { lines: ['1 place de la Bourse'], postcode: '69002', city: 'Lyon', country: 'FR' } },
  })
  t.equal(ownMail.stats.subscriptions, 8, 'creating the connection subscribed its callback URL at the notification center')

  const queued = new Map<string, { invoiceId: string; dispatchId: string }>()
  const queue = async (tenant: { tenantId: string; key: string }, label: string, channel: 'registered_email' | 'registered_letter', contact: { email?: string; addressLine?: string }) => {
    const { debtorId, invoiceId } = await debtorWithInvoice(ctx, tenant.key, { ...contact, name: `Client ${label}` })
    queued.set(label, { invoiceId, dispatchId: await queueDispatch(ctx, tenant.tenantId, { debtorId, invoiceId, channel }) })
  }
  await queue(sandboxTenant, 'lre-delivered', 'registered_email', { email: 'marie@dupont.test' })
  await queue(sandboxTenant, 'lre-refused', 'registered_email', { email: 'refuse@client.test' })
  await queue(sandboxTenant, 'lre-negligence', 'registered_email', { email: 'negligence@client.test' })
  await queue(sandboxTenant, 'lre-bounce', 'registered_email', { email: 'bounce@client.test' })
  await queue(sandboxTenant, 'lrar-pnd', 'registered_letter', { addressLine: 'pnd-a23 3 impasse Inconnue' })
  await queue(ownTenant, 'own-delivered', 'registered_letter', {})
  await queue(ownTenant, 'own-refused', 'registered_letter', { addressLine: 'refuse 5 rue du Refus' })
  const idOf = (label: string) => queued.get(label)!.dispatchId

  const run = await runDispatchPump(ctx.database.db, ctx.app.dispatchDeps)
  t.match(run, { claimed: 7, sent: 7, failed: 0 })
  for (const sim of [ar24, sandboxMail, ownMail]) {
    const res = await fetch(`${sim.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ days: 25 }) })
    t.equal(res.status, 200)
  }
  const statuses = async () => new Map((await systemQuery<{ dispatch_id: string; status: string; failure_reason: string | null }>(ctx.database, 'select dispatch_id, status, failure_reason from dispatches')).map((r) => [r.dispatch_id, r]))
  await waitFor('every dispatch to reach its outcome', async () => [...(await statuses()).values()].every((r) => FINAL.includes(r.status)))
  const sims = [ar24, sandboxMail, ownMail]
  await waitFor('every callback to be answered', () => sims.every((s) => s.stats.callbacks.responses.length === s.stats.callbacks.attempts))
  const final = await statuses()
  const expected: Record<string, string> = {
    'lre-delivered': 'delivered', 'lre-refused': 'refused', 'lre-negligence': 'not_claimed', 'lre-bounce': 'bounced',
    'lrar-pnd': 'undelivered', 'own-delivered': 'delivered', 'own-refused': 'refused',
  }
  for (const [label, status] of Object.entries(expected)) t.equal(final.get(idOf(label))?.status, status, `${label} → ${status}`)
  t.equal(final.get(idOf('lrar-pnd'))?.failure_reason, 'A23', 'the post office reason is kept')
  t.ok(ownMail.stats.callbacks.delivered > 0, "the tenant's own provider called its connection's URL")
  t.equal(ownMail.stats.callbacks.abandoned + sandboxMail.stats.callbacks.abandoned + ar24.stats.callbacks.abandoned, 0, 'every callback was accepted')

  const get = (tenant: { key: string }, url: string) => ctx.inject({ method: 'GET', url, headers: bearer(tenant.key) })
  const refused = (await get(sandboxTenant, `/v1/dispatches/${idOf('lre-refused')}`)).json()
  t.match(refused.timeline.map((e: { raw_status: string }) => e.raw_status), ['waiting', 'ev', 'refused'], 'the timeline keeps the raw AR24 statuses')
  const pnd = (await get(sandboxTenant, `/v1/dispatches/${idOf('lrar-pnd')}`)).json()
  t.ok(pnd.timeline.some((e: { raw_status: string }) => e.raw_status.includes('A23')), 'and the raw post office code')

  const proofs = (await get(sandboxTenant, `/v1/dispatches/${idOf('lre-delivered')}/proofs`)).json().data as { id: string; kind: string; sha256: string }[]
  t.same(proofs.map((p) => p.kind).sort(), ['content', 'receipt', 'sending'], 'the letter as sent, the AR24 sending proof and the receipt are stored')
  for (const proof of proofs) {
    const file = await get(sandboxTenant, `/v1/dispatches/${idOf('lre-delivered')}/proofs/${proof.id}/content`)
    t.equal(createHash('sha256').update(file.rawPayload).digest('hex'), proof.sha256, `the downloaded ${proof.kind} hashes to the stored sha256`)
  }
  const ownProofs = (await get(ownTenant, `/v1/dispatches/${idOf('own-delivered')}/proofs`)).json().data as { kind: string }[]
  t.ok(ownProofs.some((p) => p.kind === 'scanned_ar'), "the signed AR scan came through the tenant's connection")

  const invoice = queued.get('lre-refused')!.invoiceId
  const [fed] = await systemQuery<{ dunning_outcome: string }>(ctx.database, 'select dunning_outcome from invoices where invoice_id = $1', [invoice])
  t.equal(fed?.dunning_outcome, 'not_delivered', 'a refused formal notice tells the engine it was not delivered')

  const counts = async () => (await systemQuery<{ timeline: string; proofs: string; events: string }>(ctx.database, `select
      (select count(*) from dispatch_events) as timeline, (select count(*) from dispatch_proofs) as proofs,
      (select count(*) from events where type like 'dispatch.%' or type = 'proof.received') as events`))[0]!
  const before = await counts()
  const proofEvents = await systemQuery(ctx.database, `select 1 from events where type = 'proof.received'`)
  t.equal(proofEvents.length, Number(before.proofs), 'each stored proof emitted proof.received')

  const [mail] = await systemQuery<{ provider_ref: string }>(ctx.database, 'select provider_ref from dispatches where dispatch_id = $1', [idOf('lre-refused')])
  const replay = await fetch(`${callbacks}/sandbox-ar24`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'mail', id_mail: Number(mail!.provider_ref) }) })
  t.equal(replay.status, 200)
  const basic = `Basic ${Buffer.from('acme:acme-callback-secret').toString('base64')}`
  const [letter] = await systemQuery<{ provider_ref: string }>(ctx.database, 'select provider_ref from dispatches where dispatch_id = $1', [idOf('own-refused')])
  const sendingId = letter!.provider_ref.split('/').at(-1)
  const replayed = await fetch(`${callbacks}/${connection.id}`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: basic },
    body: JSON.stringify({ event_type: 'ON_STATUS_PROCESSED', resource_type: 'registered_mail/v2/sendings', resource_id: sendingId }),
  })
  t.equal(replayed.status, 201)
  const forged = await fetch(`${callbacks}/${connection.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  t.equal(forged.status, 401, 'a callback without the basic credentials is refused')
  t.same(await counts(), before, 'a replayed callback records nothing twice')
})
