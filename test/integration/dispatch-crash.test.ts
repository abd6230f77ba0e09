import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { startAr24Simulator } from '../../src/sandbox/ar24-simulator.js'
import { waitFor } from '../channels/channel-test-kit.js'
import { debtorWithInvoice, queueDispatch } from '../dispatch/dispatch-fixtures.js'
import { buildTestApp, createTenant, systemQuery } from '../helper.js'

const DISPATCHES = 12

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
