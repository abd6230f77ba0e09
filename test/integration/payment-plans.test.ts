import t from 'tap'
import { withTenant } from '../../src/db/client.js'
import { checkPaymentPlans, refreshPaymentPlans } from '../../src/modules/payment-plans/plan-progress.service.js'
import { buildTestApp, createTenant } from '../helper.js'
import { api, applyToInvoice, eventsFor, inDays, seedDebtor, seedInvoice } from './hold-plan-fixtures.js'

t.test('a plan over two invoices: created, progress allocated in order, completed when paid', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const first = await seedInvoice(ctx, tenantId, debtorId, { total: 10_000, paid: 4_000 })
  const second = await seedInvoice(ctx, tenantId, debtorId, { total: 6_000, credited: 1_000 })

  const created = await client.post('/v1/payment-plans', {
    debtor_id: debtorId,
    invoice_ids: [first, second],
    instalments: [
      { due_date: inDays(10), amount: 4_000 },
      { due_date: inDays(40), amount: 4_000 },
      { due_date: inDays(70), amount: 3_000 },
    ],
    external_ref: 'plan-1',
    metadata: { agreed_by: 'phone' },
  })
  t.equal(created.statusCode, 201, created.body)
  const plan = created.json()
  t.match(plan, {
    object: 'payment_plan',
    id: /^pln_[0-9a-z]{26}$/,
    debtor_id: debtorId,
    invoice_ids: [first, second],
    currency: 'EUR',
    status: 'active',
    amount_total: 11_000,
    amount_paid: 0,
    breached_at: null,
    external_ref: 'plan-1',
    metadata: { agreed_by: 'phone' },
  })
  t.same(plan.instalments, [
    { sequence: 1, due_date: inDays(10), amount: 4_000, amount_paid: 0, status: 'pending' },
    { sequence: 2, due_date: inDays(40), amount: 4_000, amount_paid: 0, status: 'pending' },
    { sequence: 3, due_date: inDays(70), amount: 3_000, amount_paid: 0, status: 'pending' },
  ])
  const created_events = await eventsFor(ctx, plan.id)
  t.same(created_events.map((e) => e.type), ['payment_plan.created'])
  t.same(created_events[0]!.data.object, plan, 'the event carries the plan as the API shows it')

  const read = await client.get(`/v1/payment-plans/${plan.id}`)
  t.same(read.json(), plan)
  t.match(read.headers.etag, /^"[0-9a-f]{32}"$/)

  // 5 000 arrives on the first invoice: the first instalment is covered, 1 000 goes to the second.
  await applyToInvoice(ctx, first, 9_000)
  t.same(await checkPaymentPlans(ctx.database.db, inDays(1)), { completed: 0, breached: 0 })
  const progress = (await client.get(`/v1/payment-plans/${plan.id}`)).json()
  t.equal(progress.amount_paid, 5_000)
  t.same(
    progress.instalments.map((i: { amount_paid: number; status: string }) => [i.amount_paid, i.status]),
    [[4_000, 'paid'], [1_000, 'pending'], [0, 'pending']],
  )
  t.not(progress.updated_at, plan.updated_at, 'progress updates the plan')

  // The rest is paid: the plan completes, even before the last due dates.
  await applyToInvoice(ctx, first, 10_000)
  await applyToInvoice(ctx, second, 5_000)
  t.same(await checkPaymentPlans(ctx.database.db, inDays(1)), { completed: 1, breached: 0 })
  const done = (await client.get(`/v1/payment-plans/${plan.id}`)).json()
  t.match(done, { status: 'completed', amount_paid: 11_000 })
  t.ok(done.instalments.every((i: { status: string }) => i.status === 'paid'))
  const events = await eventsFor(ctx, plan.id)
  t.same(events.map((e) => e.type), ['payment_plan.created', 'payment_plan.completed'])
  t.match(events[1]!.data.object, { id: plan.id, status: 'completed' })
  t.same(await checkPaymentPlans(ctx.database.db, inDays(100)), { completed: 0, breached: 0 }, 'a completed plan cannot breach')
})

t.test('an instalment uncovered after its date breaches the plan', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const late = await seedInvoice(ctx, tenantId, debtorId, { total: 6_000 })
  const onTime = await seedInvoice(ctx, tenantId, debtorId, { total: 6_000 })
  const planFor = (invoiceId: string) =>
    client.post('/v1/payment-plans', {
      debtor_id: debtorId,
      invoice_ids: [invoiceId],
      instalments: [
        { due_date: inDays(5), amount: 3_000 },
        { due_date: inDays(35), amount: 3_000 },
      ],
    })
  const breaching = (await planFor(late)).json()
  const keeping = (await planFor(onTime)).json()
  await applyToInvoice(ctx, late, 2_999)
  await applyToInvoice(ctx, onTime, 3_000)

  t.same(await checkPaymentPlans(ctx.database.db, inDays(5)), { completed: 0, breached: 0 }, 'the due date itself is still on time')
  t.same(await checkPaymentPlans(ctx.database.db, inDays(6)), { completed: 0, breached: 1 })

  const breached = (await client.get(`/v1/payment-plans/${breaching.id}`)).json()
  t.match(breached, { status: 'breached', amount_paid: 2_999, breached_at: /Z$/ })
  t.same(
    breached.instalments.map((i: { amount_paid: number; status: string }) => [i.amount_paid, i.status]),
    [[2_999, 'missed'], [0, 'pending']],
  )
  const events = await eventsFor(ctx, breaching.id)
  t.same(events.map((e) => e.type), ['payment_plan.created', 'payment_plan.breached'])
  t.match(events[1]!.data.object, { status: 'breached', instalments: [{ status: 'missed' }] })
  t.equal((await client.get(`/v1/payment-plans/${keeping.id}`)).json().status, 'active', 'the plan paid on time goes on')
  t.same(await checkPaymentPlans(ctx.database.db, inDays(7)), { completed: 0, breached: 0 }, 'breached once')

  const listed = await client.get('/v1/payment-plans?status=breached')
  t.same(listed.json().data.map((p: { id: string }) => p.id), [breaching.id])
  const page = await client.get(`/v1/payment-plans?debtor_id=${debtorId}&limit=1`)
  t.same([page.json().data[0].id, page.json().has_more], [keeping.id, true], 'newest first')
})

t.test('refreshPaymentPlans: the payments side updates progress in its own transaction', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const invoiceId = await seedInvoice(ctx, tenantId, debtorId, { total: 2_000 })
  const plan = (
    await client.post('/v1/payment-plans', {
      debtor_id: debtorId,
      invoice_ids: [invoiceId],
      instalments: [
        { due_date: inDays(1), amount: 1_000 },
        { due_date: inDays(2), amount: 1_000 },
      ],
    })
  ).json()

  await applyToInvoice(ctx, invoiceId, 2_000)
  await withTenant(ctx.database.db, tenantId, (tx) => refreshPaymentPlans(tx, tenantId, [invoiceId]))
  t.match((await client.get(`/v1/payment-plans/${plan.id}`)).json(), { status: 'completed', amount_paid: 2_000 })
  t.same((await eventsFor(ctx, plan.id)).map((e) => e.type), ['payment_plan.created', 'payment_plan.completed'])
})

t.test('cancelling ends the plan and frees its invoices', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const invoiceId = await seedInvoice(ctx, tenantId, debtorId, { total: 2_000 })
  const body = { debtor_id: debtorId, invoice_ids: [invoiceId], instalments: [{ due_date: inDays(3), amount: 2_000 }] }
  const plan = (await client.post('/v1/payment-plans', body)).json()

  const taken = await client.post('/v1/payment-plans', body)
  t.equal(taken.statusCode, 409, 'an invoice is in one active plan at a time')
  t.match(taken.json(), { code: 'conflict', errors: [{ path: 'body.invoice_ids.0', message: new RegExp(plan.id) }] })

  const cancelled = await client.post(`/v1/payment-plans/${plan.id}/cancel`)
  t.equal(cancelled.statusCode, 200)
  t.equal(cancelled.json().status, 'cancelled')
  const twice = await client.post(`/v1/payment-plans/${plan.id}/cancel`)
  t.equal(twice.statusCode, 422)
  t.equal(twice.json().code, 'unprocessable')
  t.same(await checkPaymentPlans(ctx.database.db, inDays(10)), { completed: 0, breached: 0 }, 'a cancelled plan is not checked')

  const again = await client.post('/v1/payment-plans', body)
  t.equal(again.statusCode, 201, 'the invoice can go into a new plan')
})

t.test('GraphQL: create, read, list and cancel payment plans', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const invoiceId = await seedInvoice(ctx, tenantId, debtorId, { total: 3_000 })

  const created = await client.graphql(
    `mutation($input: CreatePaymentPlanInput!) {
      createPaymentPlan(input: $input) { id status currency amountTotal instalments { sequence dueDate amount amountPaid status } }
    }`,
    { input: { debtorId, invoiceIds: [invoiceId], instalments: [{ dueDate: inDays(1), amount: 1_000 }, { dueDate: inDays(2), amount: 2_000 }] } },
  )
  t.notOk(created.json().errors)
  const plan = created.json().data.createPaymentPlan
  t.match(plan, { status: 'active', currency: 'EUR', amountTotal: 3_000 })
  t.same(plan.instalments[1], { sequence: 2, dueDate: inDays(2), amount: 2_000, amountPaid: 0, status: 'pending' })
  t.equal((await client.get(`/v1/payment-plans/${plan.id}`)).json().amount_total, 3_000, 'REST sees it')

  const list = await client.graphql(`{ paymentPlans(first: 5) { edges { cursor node { id instalments { dueDate } } } pageInfo { hasNextPage } } }`)
  t.same(list.json().data.paymentPlans, {
    edges: [{ cursor: plan.id, node: { id: plan.id, instalments: [{ dueDate: inDays(1) }, { dueDate: inDays(2) }] } }],
    pageInfo: { hasNextPage: false },
  })

  const cancelled = await client.graphql(`mutation($id: ID!) { cancelPaymentPlan(id: $id) { status } }`, { id: plan.id })
  t.same(cancelled.json().data, { cancelPaymentPlan: { status: 'cancelled' } })
  const read = await client.graphql(`query($id: ID!) { paymentPlan(id: $id) { status } }`, { id: plan.id })
  t.same(read.json().data, { paymentPlan: { status: 'cancelled' } })

  const mismatch = await client.graphql(`mutation($input: CreatePaymentPlanInput!) { createPaymentPlan(input: $input) { id } }`, {
    input: { debtorId, invoiceIds: [invoiceId], instalments: [{ dueDate: inDays(1), amount: 1 }] },
  })
  t.match(mismatch.json().errors[0].extensions, { code: 'unprocessable', errors: [{ path: 'input.instalments' }] })
  const badDate = await client.graphql(`mutation($input: CreatePaymentPlanInput!) { createPaymentPlan(input: $input) { id } }`, {
    input: { debtorId, invoiceIds: [invoiceId], instalments: [{ dueDate: inDays(2), amount: 1_000 }, { dueDate: inDays(2), amount: 2_000 }] },
  })
  t.match(badDate.json().errors[0].extensions, { code: 'validation_failed', errors: [{ path: 'input.instalments.1.dueDate' }] })
})
