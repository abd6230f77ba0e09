import t from 'tap'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { bearer, buildTestApp, createTenant } from '../helper.js'
import { debtorWithInvoice, queueDispatch } from './dispatch-fixtures.js'

t.test('GraphQL shows dispatches with their timeline, and call tasks that a mutation completes', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox' })
  const gql = async (query: string, variables: Record<string, unknown> = {}, as = key) =>
    (await ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(as), payload: { query, variables } })).json()
  const debt = await debtorWithInvoice(ctx, key, {})
  const email = await queueDispatch(ctx, tenantId, { ...debt, channel: 'email', stepKey: 'first_reminder', template: 'reminder_first' })
  await queueDispatch(ctx, tenantId, { ...debt, channel: 'call_task', stepKey: 'call', template: 'call_script' })
  t.match(await runDispatchPump(ctx.database.db, ctx.app.dispatchDeps), { claimed: 2, sent: 2 })

  const list = await gql(`query($debtor: ID) { dispatches(first: 10, debtorId: $debtor, channel: email) {
    edges { node { id channel status stepKey invoiceIds driver } } pageInfo { hasNextPage } } }`, { debtor: debt.debtorId })
  t.same(list.data.dispatches.edges.map((e: { node: unknown }) => e.node), [
    { id: email, channel: 'email', status: 'delivered', stepKey: 'first_reminder', invoiceIds: [debt.invoiceId], driver: 'capture' },
  ], 'the list filters by debtor and channel')
  const one = await gql(`query($id: ID!) { dispatch(id: $id) { id status content timeline { status rawStatus occurredAt } proofs { id sha256 } } }`, { id: email })
  t.match(one.data.dispatch, { id: email, status: 'delivered', content: { subject: String }, timeline: [{ status: 'delivered', rawStatus: String }], proofs: [] })

  const tasks = await gql(`{ tasks(status: open) { edges { node { id status script phone debtorId } } } }`)
  const task = tasks.data.tasks.edges[0].node
  t.match(task, { status: 'open', debtorId: debt.debtorId, phone: '+33612345678' }, 'the call task is listed with its phone number')
  t.ok(task.script.length > 20, 'and its script')

  const invalid = await gql(`mutation($id: ID!) { completeTask(id: $id, input: { outcome: promise }) { id } }`, { id: task.id })
  t.equal(invalid.errors[0].extensions.code, 'validation_failed')
  t.ok(invalid.errors[0].extensions.errors.some((e: { path: string }) => e.path === 'input.promisedAmount'), 'errors name the GraphQL field')

  const done = await gql(`mutation($id: ID!) { completeTask(id: $id, input: { outcome: promise, promisedAmount: 60000, promisedCurrency: "EUR", promisedDate: "2026-12-31" }) { id status outcome holdId } }`, { id: task.id })
  t.match(done.data.completeTask, { id: task.id, status: 'completed', outcome: 'promise', holdId: /^hld_/ }, 'a promise becomes a hold')

  const other = await createTenant(ctx, { name: 'Other', mode: 'sandbox' })
  const hidden = await gql(`query($id: ID!) { dispatch(id: $id) { id } }`, { id: email }, other.key)
  t.equal(hidden.errors[0].extensions.code, 'not_found', "another tenant's dispatch is not found")
})
