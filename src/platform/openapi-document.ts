import { buildApp } from '../app.js'
import { loadEnv } from '../config/env.js'
import { openDatabase } from '../db/client.js'

/** The OpenAPI document exactly as the routes describe it, serialised the way it is committed. */
export async function generateOpenApi(): Promise<string> {
  // The document comes from route schemas alone: the pool is never used, so nothing connects.
  const database = openDatabase('postgres://openapi@127.0.0.1:9/none', 1)
  const app = await buildApp({ env: loadEnv({ NODE_ENV: 'production', LOG_LEVEL: 'silent', RELANCE_SECRET_KEY: '0'.repeat(64) }), database })
  await app.ready()
  const document = JSON.stringify(app.swagger(), null, 2) + '\n'
  await app.close()
  await database.close()
  return document
}
