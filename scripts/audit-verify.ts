/**
 * `npm run audit:verify [-- --tenant ten_…]`: recomputes every tenant's audit chain (or one) from
 * DATABASE_URL (or the embedded database) and prints one line per tenant. Exits 1 when any chain
 * is broken, naming the first entry that does not match.
 */
import path from 'node:path'
import { loadEnv } from '../src/config/env.js'
import { openDatabase, withSystem } from '../src/db/client.js'
import { allTenantIds } from '../src/modules/audit/audit.repository.js'
import { verifyChain } from '../src/modules/audit/audit.service.js'
import { ensureDatabase, startEmbeddedPostgres } from '../src/platform/embedded-postgres.js'

const env = loadEnv()
const flag = process.argv.indexOf('--tenant')
const only = flag === -1 ? undefined : process.argv[flag + 1]
if (flag !== -1 && !only?.startsWith('ten_')) {
  process.stderr.write('--tenant takes a tenant id (ten_…)\n')
  process.exit(64)
}
let url = env.DATABASE_URL
const embedded = url ? undefined : await startEmbeddedPostgres({ dir: path.resolve(env.RELANCE_DATA_DIR), port: env.RELANCE_EMBEDDED_PG_PORT })
if (embedded) {
  await ensureDatabase(embedded.adminUrl(), 'relance')
  url = embedded.appUrl('relance')
}
const database = openDatabase(url!, 1)
let broken = 0
try {
  const tenants = only ? [only] : await withSystem(database.db, (tx) => allTenantIds(tx))
  for (const tenantId of tenants) {
    const result = await withSystem(database.db, (tx) => verifyChain(tx, tenantId))
    if (result.ok) {
      const head = result.head ? `head ${result.head.sequence} ${result.head.hash}` : 'empty'
      process.stdout.write(`${tenantId} ok: ${result.checked} entries, ${head}\n`)
    } else {
      broken++
      process.stdout.write(`${tenantId} BROKEN at sequence ${result.first_broken!.sequence}: ${result.first_broken!.reason}\n`)
    }
  }
  process.stdout.write(`${JSON.stringify({ tenants: tenants.length, broken })}\n`)
} finally {
  await database.close()
  await embedded?.stop()
}
process.exit(broken ? 1 : 0)
