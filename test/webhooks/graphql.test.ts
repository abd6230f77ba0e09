import t from 'tap'
import { bearer, buildTestApp, createTenant } from '../helper.js'

t.test('webhook endpoints and events through GraphQL, by the same services as REST', async (t) => {
  const ctx = await buildTestApp(t, { RELANCE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' })
  const { key } = await createTenant(ctx, { name: 'Acme' })
  const gql = async (query: string, variables: Record<string, unknown> = {}) =>
    (await ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(key), payload: { query, variables } })).json()
  const created = await gql(
    `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { id url enabledEvents secret } }`,
    { input: { url: 'http://127.0.0.1:9/hook', enabledEvents: ['invoice.paid'] } },
  )
  const endpoint = created.data.createWebhookEndpoint
  t.match(endpoint, { url: 'http://127.0.0.1:9/hook', enabledEvents: ['invoice.paid'], secret: /^whsec_/ })
  const rest = await ctx.inject({ method: 'GET', url: `/v1/webhook-endpoints/${endpoint.id}`, headers: bearer(key) })
  t.equal(rest.json().url, endpoint.url, 'REST reads what GraphQL created')
  t.notOk(rest.json().secret, 'the secret is shown once')

  const listed = await gql(`{ webhookEndpoints { edges { node { id secret } } } }`)
  t.same(listed.data.webhookEndpoints.edges, [{ node: { id: endpoint.id, secret: null } }])
  const rotated = await gql(`mutation { rotateWebhookSecret(id: "${endpoint.id}", overlapSeconds: 60) { secret previousSecretExpiresAt } }`)
  t.not(rotated.data.rotateWebhookSecret.secret, endpoint.secret, 'a new secret')
  t.ok(rotated.data.rotateWebhookSecret.previousSecretExpiresAt, 'the old one overlaps')

  const refused = await gql(`mutation { createWebhookEndpoint(input: { url: "http://10.0.0.1/x", enabledEvents: ["*"] }) { id } }`)
  t.equal(refused.errors[0].extensions.code, 'validation_failed', 'a private address is refused with the REST code')

  await ctx.inject({ method: 'POST', url: '/v1/debtors', headers: bearer(key), payload: { kind: 'business', name: 'Dupont', country: 'FR' } })
  const events = await gql(`{ events(type: "debtor.created") { edges { node { type objectId data } } } }`)
  t.equal(events.data.events.edges[0].node.type, 'debtor.created')
  t.equal(events.data.events.edges[0].node.data.object.name, 'Dupont')

  const other = await createTenant(ctx, { name: 'Other' })
  const hidden = (await ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(other.key), payload: { query: `{ webhookEndpoint(id: "${endpoint.id}") { id } }` } })).json()
  t.equal(hidden.errors[0].extensions.code, 'not_found', "another tenant's endpoint does not exist for it")
})
