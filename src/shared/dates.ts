import { z } from 'zod'

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** True for a real calendar date written YYYY-MM-DD (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value)
  if (!match) return false
  const [, y, m, d] = match.map(Number) as [number, number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** Calendar dates stay dates: 'YYYY-MM-DD' strings, never shifted through a time zone. */
export const calendarDateSchema = z
  .string()
  .refine(isCalendarDate, 'Must be a calendar date YYYY-MM-DD')
  .describe('Calendar date, YYYY-MM-DD')

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/** Today's date in UTC, the default "as of" for statements and balances. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10)
}
