import Holidays from 'date-holidays'
import { addDays } from '../../shared/dates.js'

/**
 * Business days per country: Monday to Friday, minus the country's public holidays. The holiday
 * rules ship inside `date-holidays` (no network), so the planner stays pure and works offline.
 * Bank, school, optional and observance days do not stop a reminder; only 'public' ones do.
 */

const instances = new Map<string, Holidays | null>()
/** Public-holiday dates per `${country}:${year}`: the planner asks about the same days many times. */
const holidayDates = new Map<string, ReadonlySet<string>>()
let knownCountries: ReadonlySet<string> | undefined

function holidaysFor(country: string): Holidays | null {
  const code = country.toUpperCase()
  let instance = instances.get(code)
  if (instance === undefined) {
    // Holidays accepts an unknown code silently (no rules); keep null to say "no holidays".
    knownCountries ??= new Set(Object.keys(new Holidays().getCountries()))
    instance = knownCountries.has(code) ? new Holidays(code, { types: ['public'] }) : null
    instances.set(code, instance)
  }
  return instance
}

function publicHolidays(country: string, year: number): ReadonlySet<string> {
  const key = `${country.toUpperCase()}:${year}`
  const cached = holidayDates.get(key)
  if (cached) return cached
  const dates = new Set<string>()
  for (const holiday of holidaysFor(country)?.getHolidays(year) ?? []) {
    if (holiday.type !== 'public') continue
    // `date` is the local calendar date of the holiday ('2026-05-01 00:00:00'); a rare holiday
    // lasting several days is one entry with a longer span, so each of its days is added.
    const first = holiday.date.slice(0, 10)
    const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / 86_400_000))
    for (let i = 0; i < days; i++) dates.add(addDays(first, i))
  }
  holidayDates.set(key, dates)
  return dates
}

/** ISO weekday of a calendar date 'YYYY-MM-DD': 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay()
  return day === 0 ? 7 : day
}

/** True when `date` is a public holiday in `country` (ISO 3166-1 alpha-2; unknown → never). */
export function isPublicHoliday(date: string, country: string): boolean {
  return publicHolidays(country, Number(date.slice(0, 4))).has(date)
}

/** Monday to Friday and not a public holiday of the country. Unknown country: weekends only. */
export function isBusinessDay(date: string, country: string): boolean {
  return isoWeekday(date) <= 5 && !isPublicHoliday(date, country)
}

/** `date` itself when it is a business day, else the first business day after it. */
export function nextBusinessDay(date: string, country: string): string {
  let day = date
  // A year never has a run of 30 non-business days; the bound only guards against bad data.
  for (let i = 0; i < 30 && !isBusinessDay(day, country); i++) day = addDays(day, 1)
  return day
}
