import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { unzipSync } from 'fflate'
import t from 'tap'
import { sha256Hex } from '../../src/shared/crypto.js'
import { bearer, createTenant, systemQuery, type TestApp } from '../helper.js'
import { appWithSimulators, poster } from '../factories.js'

/** A formal notice sent by electronic registered letter through the AR24 simulator, with its proofs stored. */
async function formalNoticeSent(t: Parameters<typeof appWithSimulators>[0], overrides: Record<string, string>): Promise<{ ctx: TestApp; key: string; debtorId: string; dispatchId: string }> {
  const { ctx, ar24 } = await appWithSimulators(t, overrides)
  const { key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox' })
  const post = poster(ctx, key)
  await post('/v1/scenarios', {
    name: 'Mise en demeure', language: 'fr', is_default: true,
    definition: { steps: [{ key: 'formal_notice', offset_days: 1, channels: [{ channel: 'registered_email', template: 'formal_notice' }] }], send_policy: { min_gap_days: 0, max_contacts: 10 } },
  })
  const debtor = await post('/v1/debtors', {
    kind: 'business', name: 'Dupont SARL', country: 'FR', language: 'fr', timezone: 'Europe/Paris', siren: '732829320',
    contacts: [{ name: 'Marie Dupont', email: 'marie.negligence@dupont.test' }],
    address: { lines: ['12 rue des Lilas'], postcode: '75011', city: 'Paris', country: 'FR' },
  })
  const clock = await post('/v1/test-clocks', { frozen_time: '2026-03-02T09:30:00Z' })
  await post('/v1/invoices', { debtor_id: debtor.id, number: 'F-100', currency: 'EUR', amount_total: 120_000, issue_date: '2026-02-01', due_date: '2026-03-02' })
  await post(`/v1/test-clocks/${clock.id}/advance`, { frozen_time: '2026-03-04T09:30:00Z' })
  const listed = await ctx.inject({ method: 'GET', url: `/v1/dispatches?debtor_id=${debtor.id}`, headers: bearer(key) })
  const dispatch = listed.json().data[0] as { id: string; provider_ref: string }
  // Fifteen days unclaimed: AR24 issues the proof of negligence; its callback makes Relance fetch the proofs.
  await fetch(`${ar24.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ days: 17 }) })
  await ctx.inject({ method: 'POST', url: '/v1/channel-callbacks/sandbox-ar24', payload: { type: 'mail', id_mail: Number(dispatch.provider_ref) } })
  return { ctx, key, debtorId: debtor.id, dispatchId: dispatch.id }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
}

t.test('RELANCE_PROOF_STORAGE=filesystem: proofs are files named by their sha256, served and put in the dossier unchanged', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'relance-proofs-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const { ctx, key, debtorId, dispatchId } = await formalNoticeSent(t, { RELANCE_PROOF_STORAGE: 'filesystem', RELANCE_PROOF_DIR: dir })

  const proofs = (await ctx.inject({ method: 'GET', url: `/v1/dispatches/${dispatchId}/proofs`, headers: bearer(key) })).json().data as { id: string; kind: string; sha256: string; size: number }[]
  t.ok(proofs.length >= 3, `the letter as sent and AR24's proofs are listed (${proofs.map((p) => p.kind).join(', ')})`)
  const rows = await systemQuery<{ storage: string; in_row: boolean }>(ctx.database, 'select storage, content is not null as in_row from dispatch_proofs')
  t.ok(rows.every((r) => r.storage === 'filesystem' && !r.in_row), 'no proof bytes in the database')
  const files = await filesUnder(dir)
  t.same(files.map((f) => path.basename(f)).sort(), [...new Set(proofs.map((p) => p.sha256))].sort(), 'one file per proof, named by its sha256')

  for (const proof of proofs) {
    const res = await ctx.inject({ method: 'GET', url: `/v1/dispatches/${dispatchId}/proofs/${proof.id}/content`, headers: bearer(key) })
    t.ok(res.statusCode === 200 && sha256Hex(res.rawPayload) === proof.sha256 && res.rawPayload.length === proof.size, `${proof.kind}: downloaded bytes match the recorded sha256`)
  }
  const dossier = await ctx.inject({ method: 'GET', url: `/v1/debtors/${debtorId}/dossier`, headers: bearer(key) })
  const zip = unzipSync(new Uint8Array(dossier.rawPayload))
  const inZip = new Set(Object.values(zip).map((bytes) => sha256Hex(Buffer.from(bytes))))
  t.ok(proofs.every((p) => inZip.has(p.sha256)), 'every proof is in the dossier, byte for byte')

  // A file changed outside Relance is never served as the proof.
  await writeFile(files[0]!, 'altered')
  const altered = proofs.find((p) => p.sha256 === path.basename(files[0]!))!
  const res = await ctx.inject({ method: 'GET', url: `/v1/dispatches/${dispatchId}/proofs/${altered.id}/content`, headers: bearer(key) })
  t.equal(res.statusCode, 500, 'the altered proof is refused')
  t.match(res.headers['content-type'], /^application\/problem\+json/, 'as a problem+json')
  t.notMatch(res.body, 'altered', 'and its bytes are not sent')
})

t.test('by default proofs stay in PostgreSQL, in their rows', async (t) => {
  const { ctx, key, dispatchId } = await formalNoticeSent(t, {})
  const rows = await systemQuery<{ storage: string; in_row: boolean }>(ctx.database, 'select storage, content is not null as in_row from dispatch_proofs')
  t.ok(rows.length >= 3 && rows.every((r) => r.storage === 'postgres' && r.in_row), 'every proof kept in its row')
  const proofs = (await ctx.inject({ method: 'GET', url: `/v1/dispatches/${dispatchId}/proofs`, headers: bearer(key) })).json().data as { id: string; sha256: string }[]
  const res = await ctx.inject({ method: 'GET', url: `/v1/dispatches/${dispatchId}/proofs/${proofs[0]!.id}/content`, headers: bearer(key) })
  t.equal(sha256Hex(res.rawPayload), proofs[0]!.sha256, 'served from its row')
})
