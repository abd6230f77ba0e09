import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { desc, lte, sql } from 'drizzle-orm'
import { withSystem, type Db, type Tx } from '../../db/client.js'
import { newId } from '../../shared/ids.js'
import { seal, unseal } from '../../shared/secret-box.js'
import type { JwsSigner } from './signatures.js'
import { webhookSigningKeys } from './webhooks.tables.js'

export type SigningKeyRow = typeof webhookSigningKeys.$inferSelect

/** A new Ed25519 key, its private half sealed; published at once, signing from `signsFrom`. */
export async function createSigningKey(tx: Tx, secretKey: Buffer, signsFrom: Date): Promise<SigningKeyRow> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const kid = newId('signingKey')
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  const [row] = await tx
    .insert(webhookSigningKeys)
    .values({ kid, alg: 'EdDSA', publicJwk: { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x! }, privateKeySealed: seal(secretKey, pem), signsFrom })
    .returning()
  return row!
}

/** The first key, made by whoever needs one first; the advisory lock stops two workers making two. */
export async function ensureSigningKey(db: Db, secretKey: Buffer, now: Date): Promise<void> {
  await withSystem(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('webhook_signing_keys'))`)
    const [any] = await tx.select({ kid: webhookSigningKeys.kid }).from(webhookSigningKeys).limit(1)
    if (!any) await createSigningKey(tx, secretKey, now)
  })
}

/** Every key ever made, newest first: retired public keys stay so old proofs stay verifiable. */
export async function listSigningKeys(tx: Tx): Promise<SigningKeyRow[]> {
  return tx.select().from(webhookSigningKeys).orderBy(desc(webhookSigningKeys.signsFrom), desc(webhookSigningKeys.kid))
}

export function toJwks(rows: SigningKeyRow[]) {
  return { keys: rows.map((r) => ({ ...r.publicJwk, kid: r.kid, alg: r.alg, use: 'sig' })) }
}

const importedKeys = new Map<string, KeyObject>()

/** The key that signs at `now`: the newest whose `signs_from` has come. */
export async function currentSigner(db: Db, secretKey: Buffer, now: Date): Promise<JwsSigner> {
  const find = () =>
    withSystem(db, (tx) =>
      tx.select().from(webhookSigningKeys).where(lte(webhookSigningKeys.signsFrom, now)).orderBy(desc(webhookSigningKeys.signsFrom)).limit(1),
    )
  let [row] = await find()
  if (!row) {
    await ensureSigningKey(db, secretKey, now)
    ;[row] = await find()
    // Only keys scheduled for later exist: the earliest of them signs rather than nothing.
    if (!row) [row] = await withSystem(db, (tx) => tx.select().from(webhookSigningKeys).orderBy(webhookSigningKeys.signsFrom).limit(1))
  }
  const found = row!
  let key = importedKeys.get(found.kid)
  if (!key) {
    key = createPrivateKey(unseal(secretKey, found.privateKeySealed))
    importedKeys.set(found.kid, key)
  }
  const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: found.kid })).toString('base64url')
  return { kid: found.kid, alg: 'EdDSA', key, header }
}
