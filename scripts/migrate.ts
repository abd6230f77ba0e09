/** `npm run migrate`: applies the committed migrations to DATABASE_URL (or the embedded database). */
import path from 'node:path'
import { loadEnv } from '../src/config/env.js'
import { openDatabase } from '../src/db/client.js'
import { appliedMigrationCount, runMigrations } from '../src/db/migrate.js'
import { ensureDatabase, startEmbeddedPostgres } from '../src/platform/embedded-postgres.js'

const env = loadEnv()
// Migrations hold a session advisory lock: not through a transaction-mode pooler (docs/scaling.md).
let url = env.DATABASE_DIRECT_URL ?? env.DATABASE_URL
const embedded = url ? undefined : await startEmbeddedPostgres({ dir: path.resolve(env.RELANCE_DATA_DIR), port: env.RELANCE_EMBEDDED_PG_PORT })
if (embedded) {
  await ensureDatabase(embedded.adminUrl(), 'relance')
  url = embedded.appUrl('relance')
}
const database = openDatabase(url!, 2)
try {
  await runMigrations(database.pool)
  process.stdout.write(`migrations applied: ${await appliedMigrationCount(database.db)}\n`)
} finally {
  await database.close()
  await embedded?.stop()
}
