import { z } from 'zod'

/** ISO 4217 codes this runtime knows (ICU's list), e.g. EUR, GBP, CHF, JPY. */
export const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'))

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 code in capitals, e.g. EUR')
  .refine((code) => CURRENCIES.has(code), 'Unknown ISO 4217 currency')
  .describe('ISO 4217 currency code')

/**
 * Money is an integer count of the currency's minor unit (cents for EUR, yen for JPY), never a
 * float. Capped at 2^53-1 so JSON numbers stay exact.
 */
export const amountSchema = z
  .number()
  .int('Must be an integer number of minor units (cents), not a decimal')
  .min(0)
  .max(Number.MAX_SAFE_INTEGER, 'Too large')
  .describe('Integer amount in minor units of the currency (e.g. cents)')

export const positiveAmountSchema = amountSchema.refine((v) => v > 0, 'Must be greater than 0')

/** Digits after the decimal point for a currency (2 for EUR, 0 for JPY, 3 for TND). */
const digitsByCurrency = new Map<string, number>()

export function minorUnitDigits(currency: string): number {
  // Building an Intl.NumberFormat costs ~0.1 ms: once per currency, not once per amount rendered.
  let digits = digitsByCurrency.get(currency)
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    digitsByCurrency.set(currency, digits)
  }
  return digits
}
/** Per-currency totals; amounts in different currencies are never added together. */
export function sumByCurrency<T>(items: T[], currency: (item: T) => string, amount: (item: T) => number) {
  const totals = new Map<string, number>()
  for (const item of items) totals.set(currency(item), (totals.get(currency(item)) ?? 0) + amount(item))
  return totals
}
