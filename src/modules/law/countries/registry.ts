import { AppError } from '../../../shared/errors.js'
import type { CountryLaw, LegalWarning } from '../country-law.js'
import { france } from './fr/index.js'

/**
 * Country modules by ISO 3166-1 alpha-2 code. The key is the creditor tenant's `country`: Relance
 * tenants sell goods or services, and absent a choice of law the contract is governed by the
 * law of the seller's or service provider's habitual residence (Rome I Regulation, art. 4(1)(a)
 * and (b)); see docs/law.md for the limits of that choice.
 */
const COUNTRY_LAWS: ReadonlyMap<string, CountryLaw> = new Map([[france.country, france]])

export const SUPPORTED_LAW_COUNTRIES: readonly string[] = [...COUNTRY_LAWS.keys()]

/** The module for a country, or null: no statutory computation then, never another country's. */
export function lawFor(country: string): CountryLaw | null {
  return COUNTRY_LAWS.get(country) ?? null
}

const unsupported = (country: string) => `No law module for ${country}; supported: ${SUPPORTED_LAW_COUNTRIES.join(', ')}`

/** For answers that are nothing but a statutory computation: a 422 naming the tenant's `country`. */
export function requireLaw(country: string): CountryLaw {
  const law = lawFor(country)
  if (!law) {
    throw new AppError('unprocessable', `Relance has no law module for the tenant's country (${country}), so it computes no statutory amount.`, [
      { path: 'tenant.country', message: unsupported(country) },
    ])
  }
  return law
}

/** What an invoice shows instead of the law's checks when its tenant's country has no module. */
export function noLawWarning(country: string): LegalWarning {
  return {
    code: 'no_law_module',
    message: `${unsupported(country)}: payment-term limits, penalties and prescription are not computed for this invoice.`,
  }
}
