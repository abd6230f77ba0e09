import { addDays } from '../../shared/dates.js'
import { isBusinessDay, isoWeekday } from './calendar.js'
import type { SendPolicy } from './scenario-definition.js'

/**
 * Local wall-clock time <-> UTC instants with Intl only (the tz database ships with Node's ICU),
 * so DST is whatever the debtor's zone says, without a date library.
 */

const MINUTE = 60_000
const DAY = 86_400_000

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The UTC offset of `timeZone` at `instant` in ms, straight from ICU (slow: ~3 µs a call). */
function icuOffset(instant: number, timeZone: string): number {
  const p: Record<string, number> = {}
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value)
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = p
  return Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(instant / 1000) * 1000
}

const HOUR = 60 * MINUTE
/** Offsets per zone and UTC hour: the engine asks about the same few hours for thousands of rows. */
const hourOffsets = new Map<string, number>()

/**
 * UTC offset of `timeZone` at `instant`, in ms (Europe/Paris in winter: +3 600 000). An hour whose
 * first and last millisecond share an offset has no transition inside (zones never change twice
 * within an hour), so that offset is cached for the hour; an hour with a transition is never cached.
 */
function offsetAt(instant: number, timeZone: string): number {
  const hour = Math.floor(instant / HOUR)
  const key = `${timeZone}|${hour}`
  const cached = hourOffsets.get(key)
  if (cached !== undefined) return cached
  const first = icuOffset(hour * HOUR, timeZone)
  const last = icuOffset((hour + 1) * HOUR - 1, timeZone)
  if (first !== last) return icuOffset(instant, timeZone)
  // Bounded: a long-running worker walks forward in time; start afresh rather than grow forever.
  if (hourOffsets.size >= 50_000) hourOffsets.clear()
  hourOffsets.set(key, first)
  return first
}

/** The wall clock in `timeZone` at `instant`, as milliseconds of a UTC date with the same fields. */
function wallClock(instant: number, timeZone: string): number {
  return instant + offsetAt(instant, timeZone)
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` `time` ('HH:MM'). A time that
 * happens twice (autumn) gives the first one; a time skipped by a spring-forward gap gives the
 * instant the clock jumps past it (New York 02:30 on the spring Sunday → 03:30 EDT), as a person
 * setting an alarm would expect.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [h = 0, m = 0] = time.split(':').map(Number)
  const wall = Date.parse(`${date}T00:00:00Z`) + (h * 60 + m) * MINUTE
  // Zones change offset at most once within a day either side, so the offsets a day before and
  // after are the only candidates.
  const before = offsetAt(wall - DAY, timeZone)
  const after = offsetAt(wall + DAY, timeZone)
  const valid = [before, after].filter((o) => offsetAt(wall - o, timeZone) === o).map((o) => wall - o)
  if (valid.length > 0) return new Date(Math.min(...valid))
  return new Date(wall - before)
}

/** The calendar date 'YYYY-MM-DD' in `timeZone` at `instant`. */
export function localDate(instant: Date, timeZone: string): string {
  return new Date(wallClock(instant.getTime(), timeZone)).toISOString().slice(0, 10)
}

/** The wall-clock time 'HH:MM' in `timeZone` at `instant`. */
export function localTime(instant: Date, timeZone: string): string {
  return new Date(wallClock(instant.getTime(), timeZone)).toISOString().slice(11, 16)
}

/** UTC instant of the send window's start on a local calendar date. */
export function windowStart(date: string, policy: Pick<SendPolicy, 'window_start'>, timeZone: string): Date {
  return zonedInstant(date, policy.window_start, timeZone)
}

/** True when contacts may happen on this local date at all (weekday allowed, business day if asked). */
export function isSendDay(
  date: string,
  policy: Pick<SendPolicy, 'weekdays'>,
  country: string,
  businessDaysOnly: boolean,
): boolean {
  return policy.weekdays.includes(isoWeekday(date)) && (!businessDaysOnly || isBusinessDay(date, country))
}

/**
 * The first instant ≥ `earliest` inside [window_start, window_end) local time on a day allowed by
 * `policy.weekdays` and, when `businessDaysOnly`, a business day of `country` (no weekend, no
 * public holiday). Throws a RangeError when the policy leaves no slot for a year (e.g. a window
 * that ends before it starts, or business days only with weekdays [6, 7]).
 */
export function nextSendInstant(
  earliest: Date,
  policy: Pick<SendPolicy, 'window_start' | 'window_end' | 'weekdays'>,
  timeZone: string,
  country: string,
  businessDaysOnly: boolean,
): Date {
  let date = localDate(earliest, timeZone)
  for (let i = 0; i < 370; i++, date = addDays(date, 1)) {
    if (!isSendDay(date, policy, country, businessDaysOnly)) continue
    const start = zonedInstant(date, policy.window_start, timeZone)
    const end = zonedInstant(date, policy.window_end, timeZone)
    const candidate = new Date(Math.max(start.getTime(), earliest.getTime()))
    if (candidate.getTime() >= end.getTime()) continue
    // A window lying inside a spring-forward gap is shifted past it by zonedInstant; skip that day
    // rather than send at a local time outside the window.
    const time = localTime(candidate, timeZone)
    if (time >= policy.window_start && time < policy.window_end) return candidate
  }
  throw new RangeError(
    `No send slot within a year: window ${policy.window_start}-${policy.window_end}, ` +
      `weekdays ${policy.weekdays.join(',')}, business days only: ${businessDaysOnly}`,
  )
}
