import { minorUnitDigits } from '../../shared/money.js'

/**
 * Money, dates and rates written the way the debtor's language writes them (fr: "1 234,56 €",
 * "1er mars 2025", "12,15 %"). Intl groups French thousands with U+202F, which the standard PDF
 * fonts cannot draw; every space becomes U+00A0 so the same string works in email, SMS and PDF.
 */
const NARROW_NBSP = /\u202f/g
const NBSP = '\u00a0'

type NumericString = `${number}`

/** Bare "en" is US English to Intl; Relance writes to European debtors, so day-month-year British style. */
export function localeOf(language: string): string {
  return language === 'en' ? 'en-GB' : language
}

// Intl formatters are costly to build and the dispatch loop formats thousands of amounts a second.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => T): T {
  let format = formatters.get(key) as T | undefined
  if (!format) formatters.set(key, (format = build()))
  return format
}
const moneyFormat = (language: string, currency: string) =>
  cached(`money:${language}:${currency}`, () => new Intl.NumberFormat(localeOf(language), { style: 'currency', currency }))

/** Integer minor units → exact decimal string ("123456", EUR → "1234.56"), no float on the way. */
export function minorToDecimal(minor: number, currency: string): NumericString {
  const digits = minorUnitDigits(currency)
  const sign = minor < 0 ? '-' : ''
  const abs = Math.abs(Math.trunc(minor)).toString().padStart(digits + 1, '0')
  if (digits === 0) return `${sign}${abs}` as NumericString
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}` as NumericString
}

export function formatMoney(minor: number, currency: string, language: string): string {
  // Intl formats numeric strings exactly (ES2023 Intl.NumberFormat v3).
  const format = moneyFormat(language, currency) as unknown as { format(value: NumericString): string }
  return format.format(minorToDecimal(minor, currency)).replace(NARROW_NBSP, NBSP)
}

/** "2025-03-01" → "1er mars 2025" / "1 March 2025"; calendar dates never pass through a time zone. */
export function formatDate(isoDate: string, language: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return isoDate
  const format = cached(`date:${language}`, () => new Intl.DateTimeFormat(localeOf(language), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }))
  const text = format.format(date)
  // French writes the first day of the month as an ordinal: "1er mars".
  return language === 'fr' && date.getUTCDate() === 1 ? text.replace(/^1 /, `1er${NBSP}`) : text.replace(NARROW_NBSP, NBSP)
}

/** Annual rate "12.15" → "12,15 %" / "12.15%". */
export function formatPercent(rate: string, language: string): string {
  const format = cached(`percent:${language}`, () => new Intl.NumberFormat(localeOf(language), { style: 'percent', maximumFractionDigits: 6 })) as unknown as {
    format(value: NumericString): string
  }
  return format.format(`${rate}e-2` as NumericString).replace(NARROW_NBSP, NBSP)
}
