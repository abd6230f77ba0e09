import t from 'tap'
import { createClient, type RelanceEvent } from '../../clients/typescript/index.js'
import { pushLedger, receiveWebhooks, recordPayment, subscribe } from '../../examples/erp-integration.js'
import { freePort } from '../../scripts/demo-world.js'
import { createAddressPolicy } from '../../src/modules/webhooks/address-policy.js'
import { createGuardedAgent } from '../../src/modules/webhooks/guarded-agent.js'
import { runWebhookPump } from '../../src/modules/webhooks/pump.js'
import { resolveSecretKey } from '../../src/shared/secret-box.js'
import { buildTestApp, createTenant } from '../helper.js'

t.test('examples/erp-integration.ts pushes a ledger, records a payment and receives verified webhooks over real HTTP', async (t) => {
  const ctx = await buildTestApp(t, { RELANCE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' })
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const { key } = await createTenant(ctx)
  const relance = createClient({ baseUrl: `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`, apiKey: key })

  const port = await freePort()
  const secret = await subscribe(relance, `http://127.0.0.1:${port}/relance`)
  const events: RelanceEvent[] = []
  const receiver = await receiveWebhooks(secret, (event) => events.push(event), port)
  t.teardown(() => new Promise((resolve) => receiver.close(resolve)))

  t.match(await pushLedger(relance), { object: 'bulk_result', created: 2, rejected: 0 }, 'both invoices imported')
  const payment = await recordPayment(relance)
  t.match(payment, { amount: 120_000, amount_unapplied: 0 }, 'the payment went to the invoice')
  t.equal((await recordPayment(relance)).id, payment.id, 'sent twice with its idempotency key: recorded once')

  const dispatcher = createGuardedAgent({ policy: createAddressPolicy('127.0.0.1/32'), timeoutMs: 5_000 })
  t.teardown(() => dispatcher.close())
  const run = await runWebhookPump(ctx.database.db, new Date(), { secretKey: resolveSecretKey(ctx.env), dispatcher })
  t.equal(run.failed, 0, 'the receiver accepted every delivery')
  const paid = events.filter((e) => e.type === 'invoice.paid')
  t.equal(paid.length, 1, 'one invoice.paid, verified by standardwebhooks')
  t.match(paid[0]?.data.object, { number: 'F-2026-0001', status: 'paid', amount_due: 0 })

  const before = events.length
  const forged = await fetch(`http://127.0.0.1:${port}/relance`, {
    method: 'POST',
    headers: { 'webhook-id': 'evt_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl' },
    body: JSON.stringify({ type: 'invoice.paid' }),
  })
  t.equal(forged.status, 400, 'a forged delivery is refused')
  t.equal(events.length, before, 'and never reaches the ERP')
})
