import { fork } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { SMTPServer } from 'smtp-server'
import t from 'tap'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { startAr24Simulator } from '../../src/sandbox/ar24-simulator.js'
import { waitFor } from '../channels/channel-test-kit.js'
import { debtorWithInvoice, poster, queueDispatch } from '../dispatch/dispatch-fixtures.js'
import { buildTestApp, createTenant, systemQuery } from '../helper.js'

const DISPATCHES = 12

function startWorker(url: string, ar24Url: string, concurrency: number) {
  const child = fork(fileURLToPath(new URL('../dispatch/dispatch-worker.ts', import.meta.url)), [url, ar24Url, String(concurrency)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  const ready = new Promise<void>((resolve) => child.once('message', () => resolve()))
  return { child, exited, ready }
}

/**
 * An SMTP server that accepts the first `accept` messages, then leaves every later one unanswered
 * (the client waits for its 250) until `release()`: a worker killed then has some emails accepted
 * and the others certainly not. Counts accepted messages per X-Relance-Dispatch-Id.
 */
async function startStallingSmtp(t: { teardown(fn: () => unknown): void }, accept: number) {
  const accepted: Record<string, number> = {}
  let total = 0
  let released = false
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'relance' }),
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (!released && total >= accept) return // never answered: this client will be killed waiting
        total++
        const id = /^X-Relance-Dispatch-Id:\s*(\S+)/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '?'
        accepted[id] = (accepted[id] ?? 0) + 1
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.server.close()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { port: (server.server.address() as AddressInfo).port, accepted, release: () => (released = true) }
}

t.test('kill -9 of the worker in the middle of a batch: the next pass sends nothing twice and everything ends sent', async (t) => {
  // Every AR24 call takes 150 ms, so a batch of 12 at 4 at a time lasts well over a second.
  const ar24 = await startAr24Simulator({ timeScale: 0, latencyMs: 150 })
  t.teardown(() => ar24.close())
  const ctx = await buildTestApp(t, { RELANCE_SANDBOX_AR24_URL: ar24.apiUrl })
  const { tenantId, key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox' })
  const ids: string[] = []
  for (let i = 0; i < DISPATCHES; i++) {
    const debt = await debtorWithInvoice(ctx, key, { name: `Client ${i}`, email: `client${i}@example.test` })
    ids.push(await queueDispatch(ctx, tenantId, { ...debt, channel: 'registered_email' }))
  }

  const child = fork(fileURLToPath(new URL('../dispatch/dispatch-worker.ts', import.meta.url)), [ctx.url, ar24.apiUrl, '4'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  t.teardown(() => void (child.exitCode === null && child.kill('SIGKILL')))
  await new Promise<void>((resolve) => child.once('message', () => resolve()))
  child.send('go')
  await waitFor('the first letters to reach AR24', () => Object.keys(ar24.stats.sendsByRef).length >= 2, 30_000)
  child.kill('SIGKILL')
  t.equal(await exited, 'SIGKILL', 'the worker was killed')

  const reached = Object.keys(ar24.stats.sendsByRef).length
  const sending = await systemQuery(ctx.database, `select 1 from dispatches where status = 'sending'`)
  t.equal(sending.length, DISPATCHES, 'it died before recording its batch: every claimed dispatch is still "sending"')
  t.ok(reached >= 2 && reached < DISPATCHES, `some letters (${reached}) reached AR24 before it died`)

  // In-flight requests land at the simulator after its latency; let them, as a real provider would.
  await new Promise((resolve) => setTimeout(resolve, 300))
  const run = await runDispatchPump(ctx.database.db, { ...ctx.app.dispatchDeps, leaseSeconds: 0, concurrency: 4 })
  t.equal(run.claimed, DISPATCHES, 'the next pass reclaims the abandoned batch')
  const statuses = await systemQuery<{ status: string; provider_ref: string | null }>(ctx.database, 'select status, provider_ref from dispatches')
  t.ok(statuses.every((s) => s.status === 'sent' && s.provider_ref), 'every dispatch ends sent, with its AR24 mail id')
  t.same(Object.keys(ar24.stats.sendsByRef).sort(), [...ids].sort(), 'AR24 has every letter')
  t.ok(Object.values(ar24.stats.sendsByRef).every((n) => n === 1), 'and none twice: the killed sends were looked up, not re-sent')
})

t.test('kill -9 after some emails were accepted: SMTP cannot be asked, yet the next pass sends only the others', async (t) => {
  const smtp = await startStallingSmtp(t, 3)
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'live' })
  await poster(ctx, key)('/v1/channel-connections', {
    name: 'SMTP', driver: 'email-smtp', channels: ['email'], mode: 'live', credentials: { user: 'relance', pass: 's3cret' },
    settings: { host: '127.0.0.1', port: smtp.port, secure: false }, sender: { name: 'Garage Martin', email: 'compta@garage-martin.test' },
  })
  const ids: string[] = []
  for (let i = 0; i < 8; i++) {
    const debt = await debtorWithInvoice(ctx, key, { name: `Client ${i}`, email: `client${i}@example.test` })
    ids.push(await queueDispatch(ctx, tenantId, { ...debt, channel: 'email', stepKey: 'first_reminder', template: 'reminder_first' }))
  }

  const worker = startWorker(ctx.url, 'http://127.0.0.1:9/api/', 2)
  t.teardown(() => void (worker.child.exitCode === null && worker.child.kill('SIGKILL')))
  await worker.ready
  worker.child.send('go')
  await waitFor('three emails accepted', () => Object.keys(smtp.accepted).length === 3, 30_000)
  // The acceptance journal writes within milliseconds; the batch's record waits for the stalled five.
  await new Promise((resolve) => setTimeout(resolve, 500))
  worker.child.kill('SIGKILL')
  t.equal(await worker.exited, 'SIGKILL', 'the worker was killed')
  const left = await systemQuery<{ provider_ref: string | null }>(ctx.database, `select provider_ref from dispatches where status = 'sending'`)
  t.equal(left.length, 8, 'before recording its batch: all eight still "sending"')
  t.equal(left.filter((r) => r.provider_ref).length, 3, 'the three accepted ones with their Message-ID written down')

  smtp.release()
  const run = await runDispatchPump(ctx.database.db, { ...ctx.app.dispatchDeps, leaseSeconds: 0, concurrency: 2 })
  t.equal(run.claimed, 8, 'the next pass takes the abandoned batch back')
  const rows = await systemQuery<{ status: string; provider_ref: string }>(ctx.database, 'select status, provider_ref from dispatches')
  t.ok(rows.every((r) => r.status === 'sent' && r.provider_ref.startsWith('<dsp_')), 'every email ends sent, with its Message-ID')
  t.same(Object.keys(smtp.accepted).sort(), [...ids].sort(), 'the SMTP server accepted every email')
  t.same(Object.values(smtp.accepted), Array(8).fill(1), 'and none twice: the three accepted before the kill were not sent again')
})

t.test('kill -9 after two letters were sent and their copies kept: the recovered dispatches still name their letter', async (t) => {
  // Two LREs go through, every later one hangs at AR24: the batch cannot be recorded.
  const ar24 = await startAr24Simulator({ timeScale: 0, faults: { rules: [{ kind: 'slow', delay_ms: 0, match: '^POST /api/mail$', times: 2 }, { kind: 'hang', match: '^POST /api/mail$' }] } })
  t.teardown(() => ar24.close())
  const ctx = await buildTestApp(t, { RELANCE_SANDBOX_AR24_URL: ar24.apiUrl })
  const { tenantId, key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox' })
  for (let i = 0; i < 4; i++) {
    const debt = await debtorWithInvoice(ctx, key, { name: `Client ${i}`, email: `client${i}@example.test` })
    await queueDispatch(ctx, tenantId, { ...debt, channel: 'registered_email' })
  }
  const worker = startWorker(ctx.url, ar24.apiUrl, 1)
  t.teardown(() => void (worker.child.exitCode === null && worker.child.kill('SIGKILL')))
  await worker.ready
  worker.child.send('go')
  const kept = () => systemQuery<{ dispatch_id: string; sha256: string }>(ctx.database, `select dispatch_id, sha256 from dispatch_proofs where locator = 'relance:sent-letter'`)
  await waitFor('two letters sent and kept, the third hanging', async () => (await kept()).length === 2 && ar24.stats.faults.injected.hang === 1, 30_000)
  worker.child.kill('SIGKILL')
  t.equal(await worker.exited, 'SIGKILL', 'the worker was killed')

  ar24.setFaults({})
  const run = await runDispatchPump(ctx.database.db, { ...ctx.app.dispatchDeps, leaseSeconds: 0, concurrency: 1 })
  t.equal(run.claimed, 4, 'the next pass takes the batch back')
  t.ok(Object.values(ar24.stats.sendsByRef).every((n) => n === 1) && Object.keys(ar24.stats.sendsByRef).length === 4, 'four LREs at AR24, none twice')
  const copies = new Map((await kept()).map((k) => [k.dispatch_id, k.sha256]))
  const rows = await systemQuery<{ dispatch_id: string; status: string; letter_sha256: string | null }>(ctx.database, 'select dispatch_id, status, letter_sha256 from dispatches')
  t.equal(copies.size, 4, 'each letter as sent is kept once')
  t.ok(rows.every((r) => r.status === 'sent' && r.letter_sha256 && r.letter_sha256 === copies.get(r.dispatch_id)), 'and every dispatch names its sha256, the two recovered by look-up too')
})
