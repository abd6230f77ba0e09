import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import pg from 'pg'
import t from 'tap'
import { canonicalLine } from '../../src/modules/audit/audit-hash.js'
import { sha256Hex } from '../../src/shared/crypto.js'
import { bearer, buildTestApp, createTenant, systemQuery, type TestApp } from '../helper.js'
import { poster } from '../factories.js'

interface Entry {
  sequence: number
  occurred_at: string
  event_id: string
  action: string
  actor: string
  object_type: string
  object_id: string
  debtor_id: string | null
  snapshot: string
  prev_hash: string
  hash: string
}

/** The test database as the PostgreSQL superuser: what someone tampering with the rows would use. */
async function asSuperuser(ctx: TestApp, text: string, params: unknown[] = []) {
  const url = new URL(process.env.RELANCE_TEST_ADMIN_URL!)
  url.pathname = new URL(ctx.url).pathname
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    // Ordinary triggers (the append-only guard) do not fire for a replica session.
    await client.query('set session_replication_role = replica')
    return await client.query(text, params)
  } finally {
    await client.end()
  }
}

async function allEntries(ctx: TestApp, key: string): Promise<Entry[]> {
  const out: Entry[] = []
  let after: number | undefined
  for (;;) {
    const res = await ctx.inject({ method: 'GET', url: `/v1/audit?limit=100${after ? `&starting_after=${after}` : ''}`, headers: bearer(key) })
    const body = res.json<{ data: Entry[]; has_more: boolean }>()
    out.push(...body.data)
    if (!body.has_more) return out
    after = body.data.at(-1)!.sequence
  }
}

t.test('every change of a case lands in a hash chain that verifies, and one changed byte is found at its row', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox' })
  const keyId = (await systemQuery<{ key_id: string }>(ctx.database, 'select key_id from api_keys where tenant_id = $1', [tenantId]))[0]!.key_id
  const post = poster(ctx, key)
  const debtor = await post('/v1/debtors', { kind: 'business', name: 'Dupont SARL', country: 'FR', language: 'fr' })
  const invoice = await post('/v1/invoices', { debtor_id: debtor.id, number: 'F-1', currency: 'EUR', amount_total: 120_000, issue_date: '2026-01-01', due_date: '2026-01-31' })
  const other = await post('/v1/invoices', { debtor_id: debtor.id, number: 'F-2', currency: 'EUR', amount_total: 50_000, issue_date: '2026-01-05', due_date: '2026-02-04' })
  const hold = await post('/v1/holds', { kind: 'dispute', debtor_id: debtor.id, invoice_id: other.id, reason_code: 'quality' })
  await post(`/v1/holds/${hold.id}/release`, { reason: 'settled by phone' })
  await post('/v1/payments', { debtor_id: debtor.id, amount: 20_000, currency: 'EUR', received_on: '2026-02-10', allocations: [{ invoice_id: invoice.id, amount: 20_000 }] })
  await post('/v1/credit-notes', { debtor_id: debtor.id, number: 'AV-1', amount: 50_000, currency: 'EUR', issue_date: '2026-02-11', allocations: [{ invoice_id: other.id, amount: 50_000 }] })
  const scenario = await post('/v1/scenarios', {
    name: 'Gentle', language: 'fr',
    definition: { steps: [{ key: 'nudge', offset_days: 2, channels: [{ channel: 'email', template: 'reminder_first' }] }] },
  })
  const patched = await ctx.inject({
    method: 'PATCH', url: `/v1/scenarios/${scenario.id}`, headers: bearer(key),
    payload: { definition: { steps: [{ key: 'nudge', offset_days: 5, channels: [{ channel: 'email', template: 'reminder_first' }] }] } },
  })
  t.equal(patched.json().version, 2)

  const entries = await allEntries(ctx, key)
  const actions = entries.map((e) => e.action)
  for (const action of ['debtor.created', 'invoice.created', 'hold.created', 'hold.released', 'invoice.disputed', 'payment.created',
    'invoice.partially_paid', 'credit_note.created', 'invoice.paid', 'scenario.created', 'scenario.updated']) {
    t.ok(actions.includes(action), `${action} is in the chain`)
  }
  t.same(entries.map((e) => e.sequence), entries.map((_, i) => i + 1), 'sequences run 1, 2, 3… without gaps')
  t.equal(entries[0]!.prev_hash, '0'.repeat(64), 'the first entry links to the genesis hash')
  t.ok(entries.slice(1).every((e, i) => e.prev_hash === entries[i]!.hash), 'each entry holds the hash of the one before')
  t.ok(entries.every((e) => e.actor === keyId), 'the actor is the API key that made each change')
  const version2 = entries.findLast((e) => e.action === 'scenario.updated')!
  t.match(JSON.parse(version2.snapshot), { id: scenario.id, version: 2 }, 'the scenario version is in the snapshot')
  t.match(entries.find((e) => e.action === 'payment.created'), { object_type: 'payment', debtor_id: debtor.id })

  const byHand = entries[3]!
  t.equal(
    sha256Hex(canonicalLine({ ...byHand, tenant_id: tenantId, snapshot_sha256: sha256Hex(byHand.snapshot) })),
    byHand.hash,
    'an entry hash is the sha256 of its canonical lines',
  )

  const filtered = await ctx.inject({ method: 'GET', url: `/v1/audit?object_id=${other.id}`, headers: bearer(key) })
  t.same(filtered.json().data.map((e: Entry) => e.object_id), entries.filter((e) => e.object_id === other.id).map((e) => e.object_id), 'filter by object')
  t.ok(filtered.json().data.length >= 3)
  const paid = await ctx.inject({ method: 'GET', url: '/v1/audit?action=invoice.paid', headers: bearer(key) })
  t.same(paid.json().data.map((e: Entry) => e.object_id), [other.id], 'filter by action')
  const future = await ctx.inject({ method: 'GET', url: '/v1/audit?occurred_after=2100-01-01T00:00:00Z', headers: bearer(key) })
  t.same(future.json().data, [], 'filter by date range')

  const verified = await ctx.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(key) })
  t.match(verified.json(), { ok: true, checked: entries.length, first_broken: null, head: { sequence: entries.length, hash: entries.at(-1)!.hash } })

  // GraphQL reads the same chain and the same verification through the same service.
  const graphql = async (query: string) => (await ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(key), payload: { query } })).json()
  const firstPage = await graphql('{ auditEntries(first: 5) { edges { cursor node { sequence action objectId debtorId prevHash hash snapshot } } pageInfo { hasNextPage endCursor } } }')
  t.same(firstPage.data.auditEntries.edges.map((e: { node: { hash: string } }) => e.node.hash), entries.slice(0, 5).map((e) => e.hash), 'GraphQL pages the chain in order')
  t.match(firstPage.data.auditEntries.pageInfo, { hasNextPage: true, endCursor: '5' })
  t.match(firstPage.data.auditEntries.edges[3].node, { sequence: 4, action: entries[3]!.action, snapshot: entries[3]!.snapshot, prevHash: entries[2]!.hash })
  const next = await graphql('{ auditEntries(first: 100, after: "5") { edges { node { sequence } } } }')
  t.same(next.data.auditEntries.edges.map((e: { node: { sequence: number } }) => e.node.sequence), entries.slice(5).map((e) => e.sequence), 'after is a sequence')
  const ofPaid = await graphql(`{ auditEntries(action: "invoice.paid") { edges { node { objectId } } } }`)
  t.same(ofPaid.data.auditEntries.edges.map((e: { node: { objectId: string } }) => e.node.objectId), [other.id], 'filters as in REST')
  const badCursor = await graphql('{ auditEntries(after: "x") { edges { cursor } } }')
  t.match(badCursor.errors, [{ extensions: { code: 'validation_failed' } }], 'a bad cursor is a coded error')
  t.match((await graphql('{ auditVerification { ok checked firstBroken { sequence } head { sequence hash } } }')).data.auditVerification, {
    ok: true, checked: entries.length, firstBroken: null, head: { sequence: entries.length, hash: entries.at(-1)!.hash },
  })

  await t.rejects(
    systemQuery(ctx.database, `update audit_log set actor = 'someone' where tenant_id = $1 and sequence = 1`, [tenantId]),
    /permission denied|append-only/,
    'the application role cannot change an entry',
  )
  await t.rejects(systemQuery(ctx.database, 'delete from audit_log'), /permission denied|append-only/, 'nor delete one')

  // One byte of one snapshot, changed by someone with superuser rights on the database.
  const target = entries.find((e) => e.action === 'payment.created')!
  await asSuperuser(ctx, `update audit_log set snapshot = replace(snapshot, '20000', '20001') where tenant_id = $1 and sequence = $2`, [tenantId, target.sequence])
  const tampered = await ctx.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(key) })
  t.match(tampered.json(), { ok: false, checked: target.sequence, first_broken: { sequence: target.sequence, reason: 'snapshot_hash_mismatch' } }, 'found at exactly that entry')
  t.match((await graphql('{ auditVerification { ok checked firstBroken { sequence reason } } }')).data.auditVerification,
    { ok: false, checked: target.sequence, firstBroken: { sequence: target.sequence, reason: 'snapshot_hash_mismatch' } }, 'and through GraphQL')

  await asSuperuser(ctx, `update audit_log set snapshot = $3 where tenant_id = $1 and sequence = $2`, [tenantId, target.sequence, target.snapshot])
  const actorChanged = entries[5]!
  await asSuperuser(ctx, `update audit_log set actor = 'system' where tenant_id = $1 and sequence = $2`, [tenantId, actorChanged.sequence])
  const second = await ctx.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(key) })
  t.match(second.json().first_broken, { sequence: actorChanged.sequence, reason: 'hash_mismatch' }, 'a changed field other than the snapshot is found too')

  const run = promisify(execFile)
  const script = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], { env: { ...process.env, DATABASE_URL: ctx.url, NODE_ENV: 'test' } })
      .then((r) => ({ code: 0, stdout: r.stdout }))
      .catch((e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }))
  const broken = await script([])
  t.equal(broken.code, 1, 'npm run audit:verify exits 1 on a broken chain')
  t.match(broken.stdout, `${tenantId} BROKEN at sequence ${actorChanged.sequence}: hash_mismatch`)
  await asSuperuser(ctx, `update audit_log set actor = $3 where tenant_id = $1 and sequence = $2`, [tenantId, actorChanged.sequence, actorChanged.actor])
  const fine = await script(['--tenant', tenantId])
  t.equal(fine.code, 0, 'and 0 once it is intact')
  t.match(fine.stdout, `${tenantId} ok: ${entries.length} entries`)

  const stranger = await createTenant(ctx, { name: 'Other' })
  const theirs = await ctx.inject({ method: 'GET', url: '/v1/audit', headers: bearer(stranger.key) })
  t.ok(theirs.json().data.every((e: Entry) => e.debtor_id !== debtor.id), "another tenant never sees this tenant's entries")
})

t.test('concurrent writers of one tenant keep one linear chain', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx, { name: 'Busy SAS', mode: 'sandbox' })
  const debtors = await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      ctx.inject({ method: 'POST', url: '/v1/debtors', headers: bearer(key), payload: { kind: 'business', name: `Debtor ${i}`, country: 'FR' } }),
    ),
  )
  t.ok(debtors.every((r) => r.statusCode === 201), 'every write succeeded')
  // Long transactions interleaving their event writes: each commits while others still run.
  await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      systemQuery(
        ctx.database,
        `with e as (insert into events (tenant_id, event_id, type, object_id, data)
           select $1, 'evt_concurrent_' || $2::int || '_' || g, 'debtor.updated', 'dbt_x' || g, '{"object": {}}'::jsonb
           from generate_series(1, 3) g returning 1)
         select pg_sleep(0.05 * (6 - $2::int)), count(*) from e`,
        [tenantId, i],
      ),
    ),
  )
  const rows = await systemQuery<{ sequence: string; prev_hash: string; hash: string }>(
    ctx.database, 'select sequence, prev_hash, hash from audit_log where tenant_id = $1 order by sequence', [tenantId])
  t.equal(rows.length, 24 + 18, 'one entry per event, none lost')
  t.same(rows.map((r) => Number(r.sequence)), rows.map((_, i) => i + 1), 'gapless')
  t.ok(rows.slice(1).every((r, i) => r.prev_hash === rows[i]!.hash), 'no two entries share a predecessor: no fork')
  const verified = await ctx.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(key) })
  t.match(verified.json(), { ok: true, checked: rows.length })
})
