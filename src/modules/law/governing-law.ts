import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import type { CountryLaw } from './country-law.js'
import { lawFor } from './countries/registry.js'
import { listLawRates } from './law-rates.repository.js'
import type { RateTables } from './rate-tables.js'

export interface GoverningLaw {
  /** The tenant's country (ISO 3166-1 alpha-2): which law governs its claims (countries/registry.ts). */
  country: string
  /** Its module, or null when Relance has none: then nothing statutory is computed. */
  law: CountryLaw | null
}

export async function tenantCountry(tx: Tx, tenantId: string): Promise<string> {
  const rows = await tx.execute<{ country: string }>(sql`select country from tenants where tenant_id = ${tenantId}`)
  const country = rows.rows[0]?.country
  if (!country) throw new Error(`tenant ${tenantId} not visible in this transaction`)
  return country
}

export async function tenantLaw(tx: Tx, tenantId: string): Promise<GoverningLaw> {
  const country = await tenantCountry(tx, tenantId)
  return { country, law: lawFor(country) }
}

/** The rate tables a country module computes with, read from `law_rates` in one statement. */
export async function loadRateTables(tx: Tx, law: CountryLaw): Promise<RateTables> {
  return law.rateTables(await listLawRates(tx))
}
