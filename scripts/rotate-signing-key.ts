/**
 * `npm run webhooks:rotate-key [-- --publish-ahead SECONDS]`: a new Ed25519 key for
 * relance-signature-jws, published in /.well-known/jwks.json now and signing after the delay
 * (default 900 s, longer than receivers cache the JWKS). Old keys stay published.
 */
import { loadEnv } from '../src/config/env.js'
import { openDatabase, withSystem } from '../src/db/client.js'
import { createSigningKey } from '../src/modules/webhooks/signing-keys.js'
import { resolveSecretKey } from '../src/shared/secret-box.js'

const env = loadEnv()
if (!env.DATABASE_URL) {
  process.stderr.write('Set DATABASE_URL (or use POST /v1/signing-keys/rotate with a platform key).\n')
  process.exit(78)
}
const i = process.argv.indexOf('--publish-ahead')
const ahead = i === -1 ? 900 : Number(process.argv[i + 1])
if (!Number.isInteger(ahead) || ahead < 0) throw new Error('--publish-ahead takes whole seconds')
const database = openDatabase(env.DATABASE_URL, 1)
try {
  const key = await withSystem(database.db, (tx) => createSigningKey(tx, resolveSecretKey(env), new Date(Date.now() + ahead * 1000)))
  process.stdout.write(`new signing key ${key.kid}, published now, signing from ${key.signsFrom.toISOString()}\n`)
} finally {
  await database.close()
}
