import t from 'tap'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'
import { poster, queueDispatch } from './dispatch-fixtures.js'

const PUBLIC = 'https://relance.example'
const LINK = 'https://pay.example/i/F-100?amount=1200&ref=a"b'

t.test('opt-in open and click tracking: a pixel and a redirected payment link, each hit on the timeline, announced once', async (t) => {
  const ctx = await buildTestApp(t, { RELANCE_PUBLIC_URL: PUBLIC })
  const tracked = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox', tracking_enabled: true })
  const plain = await createTenant(ctx, { name: 'Discreet SAS', mode: 'sandbox' })
  const queue = async (tenant: { tenantId: string; key: string }) => {
    const post = poster(ctx, tenant.key)
    const debtor = await post('/v1/debtors', { kind: 'business', name: 'Dupont SARL', country: 'FR', language: 'fr', contacts: [{ email: 'marie@dupont.test' }] })
    const invoice = await post('/v1/invoices', { debtor_id: debtor.id, number: 'F-100', currency: 'EUR', amount_total: 120_000, issue_date: '2026-01-01', due_date: '2026-01-31', payment_link: LINK })
    return queueDispatch(ctx, tenant.tenantId, { debtorId: debtor.id, invoiceId: invoice.id, channel: 'email', stepKey: 'first_reminder', template: 'reminder_first' })
  }
  const mine = await queue(tracked)
  const theirs = await queue(plain)
  await runDispatchPump(ctx.database.db, ctx.app.dispatchDeps)

  const get = async (id: string, key: string) => (await ctx.inject({ method: 'GET', url: `/v1/dispatches/${id}`, headers: bearer(key) })).json()
  const sent = await get(mine, tracked.key)
  const html = sent.content.html as string
  const pixel = /<img src="https:\/\/relance\.example\/t\/o\/([^"]+)\.gif"/.exec(html)
  const click = /href="https:\/\/relance\.example\/t\/c\/([^"]+)"/.exec(html)
  t.ok(pixel && click, 'the email carries the pixel and the redirected link')
  t.notMatch(html, 'pay.example', 'the real link is not in the HTML any more')
  t.match(sent.content.text, `${PUBLIC}/t/c/`, 'nor in the text part')
  const untracked = await get(theirs, plain.key)
  t.notMatch(untracked.content.html, '/t/o/', 'a tenant who did not opt in sends no pixel')
  t.match(untracked.content.html, 'pay.example', 'and its link unchanged')

  for (let i = 0; i < 2; i++) {
    const open = await ctx.inject({ method: 'GET', url: `/t/o/${pixel![1]}.gif` })
    t.equal(open.statusCode, 200)
    t.equal(open.headers['content-type'], 'image/gif')
  }
  const redirect = await ctx.inject({ method: 'GET', url: `/t/c/${click![1]}` })
  t.equal(redirect.statusCode, 302)
  t.equal(redirect.headers.location, LINK, 'the click lands on the real payment link')

  const forged = `${mine}.AAAAAAAAAAAAAAAAAAAAAA`
  t.equal((await ctx.inject({ method: 'GET', url: `/t/c/${forged}` })).statusCode, 404, 'a token we did not sign is refused')
  t.equal((await ctx.inject({ method: 'GET', url: `/t/o/${theirs}.gif` })).statusCode, 404, 'a bare dispatch id is not a token')

  const timeline = (await get(mine, tracked.key)).timeline.map((e: { raw_status: string }) => e.raw_status)
  t.equal(timeline.filter((s: string) => s === 'opened').length, 2, 'every open is on the timeline')
  t.equal(timeline.filter((s: string) => s === 'link_clicked').length, 1, 'and the click')
  const events = await systemQuery<{ type: string }>(ctx.database, `select type from events where type in ('dispatch.opened', 'dispatch.link_clicked') order by type`)
  t.same(events.map((e) => e.type), ['dispatch.link_clicked', 'dispatch.opened'], 'each is announced once per dispatch')
  const [status] = await systemQuery<{ status: string }>(ctx.database, 'select status from dispatches where dispatch_id = $1', [mine])
  t.equal(status!.status, 'delivered', 'reading does not change the delivery status')
})
