import t from 'tap'
import { pollProviders } from '../../src/modules/dispatch/provider-poll.js'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { bearer, createTenant, systemQuery } from '../helper.js'
import { debtorWithInvoice, queueDispatch } from './dispatch-fixtures.js'
import { appWithSimulators } from '../factories.js'

t.test('proofs.poll settles what no callback will: simple letters, and registered mail whose callback was lost', async (t) => {
  const { ctx, ar24, printMail } = await appWithSimulators(t)
  const { tenantId, key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox' })
  const one = await debtorWithInvoice(ctx, key, {})
  const two = await debtorWithInvoice(ctx, key, { addressLine: 'pnd-a21 8 rue Perdue', email: 'refuse@client.test' })
  const letter = await queueDispatch(ctx, tenantId, { ...one, channel: 'letter', stepKey: 'simple_letter', template: 'letter_simple' })
  const pnd = await queueDispatch(ctx, tenantId, { ...two, channel: 'letter', stepKey: 'simple_letter', template: 'letter_simple' })
  const lre = await queueDispatch(ctx, tenantId, { ...two, channel: 'registered_email' })
  const sent = await runDispatchPump(ctx.database.db, ctx.app.dispatchDeps)
  t.match(sent, { claimed: 3, sent: 3 })

  const soon = new Date(Date.now() + 10 * 60_000)
  t.match(await pollProviders(ctx.database.db, ctx.app.dispatchDeps, soon), { polled: 0 }, 'nothing is asked before its interval')
  for (const sim of [ar24, printMail]) await fetch(`${sim.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ days: 6 }) })

  const later = new Date(Date.now() + 2 * 3_600_000)
  const first = await pollProviders(ctx.database.db, ctx.app.dispatchDeps, later)
  t.match(first, { polled: 2, errors: 0 }, 'after an hour, both simple letters are asked about; the LRE may still get its callback')
  const much = new Date(Date.now() + 7 * 3_600_000)
  const second = await pollProviders(ctx.database.db, ctx.app.dispatchDeps, much)
  t.match(second, { polled: 1 }, 'after six silent hours the LRE is asked about too')
  t.match(await pollProviders(ctx.database.db, ctx.app.dispatchDeps, much), { polled: 0 }, 'and settled dispatches are never asked again')

  const rows = await systemQuery<{ dispatch_id: string; status: string; failure_reason: string | null }>(ctx.database, 'select dispatch_id, status, failure_reason from dispatches')
  const byId = new Map(rows.map((r) => [r.dispatch_id, r]))
  t.equal(byId.get(letter)?.status, 'delivered', 'the simple letter was distributed (D01)')
  t.match(byId.get(pnd), { status: 'undelivered', failure_reason: 'A21' }, 'the returned letter is undelivered with its reason')
  t.equal(byId.get(lre)?.status, 'refused', 'the LRE refusal was read from AR24')
  const proofs = await ctx.inject({ method: 'GET', url: `/v1/dispatches/${lre}/proofs`, headers: bearer(key) })
  t.same(proofs.json().data.map((p: { kind: string }) => p.kind).sort(), ['content', 'refusal', 'sending'], 'the letter as sent and its proofs are stored')
  const events = await systemQuery<{ type: string }>(ctx.database, `select type from events where type in ('dispatch.delivered', 'dispatch.undelivered', 'dispatch.refused') order by type`)
  t.same(events.map((e) => e.type), ['dispatch.delivered', 'dispatch.refused', 'dispatch.undelivered'])
})
