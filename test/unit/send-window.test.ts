import t from 'tap'
import { scenarioDefinitionSchema, sendPolicySchema } from '../../src/modules/engine/scenario-definition.js'
import { localDate, localTime, nextSendInstant, windowStart, zonedInstant } from '../../src/modules/engine/send-window.js'

const policy = { window_start: '09:00', window_end: '18:00', weekdays: [1, 2, 3, 4, 5] }
const iso = (d: Date) => d.toISOString()
const next = (earliest: string, tz: string, country: string, businessDaysOnly = true, p = policy) =>
  iso(nextSendInstant(new Date(earliest), p, tz, country, businessDaysOnly))

t.test('Europe/Paris window start follows summer time', async (t) => {
  t.equal(iso(windowStart('2026-01-15', policy, 'Europe/Paris')), '2026-01-15T08:00:00.000Z', 'winter: UTC+1')
  t.equal(iso(windowStart('2026-07-15', policy, 'Europe/Paris')), '2026-07-15T07:00:00.000Z', 'summer: UTC+2')
  t.equal(iso(windowStart('2026-03-28', policy, 'Europe/Paris')), '2026-03-28T08:00:00.000Z', 'eve of spring forward')
  t.equal(iso(windowStart('2026-03-29', policy, 'Europe/Paris')), '2026-03-29T07:00:00.000Z', 'spring forward day')
  t.equal(iso(windowStart('2026-10-24', policy, 'Europe/Paris')), '2026-10-24T07:00:00.000Z', 'eve of fall back')
  t.equal(iso(windowStart('2026-10-25', policy, 'Europe/Paris')), '2026-10-25T08:00:00.000Z', 'fall back day')
})

t.test('America/New_York window start follows daylight saving time', async (t) => {
  t.equal(iso(windowStart('2026-03-07', policy, 'America/New_York')), '2026-03-07T14:00:00.000Z')
  t.equal(iso(windowStart('2026-03-08', policy, 'America/New_York')), '2026-03-08T13:00:00.000Z')
  t.equal(iso(windowStart('2026-10-31', policy, 'America/New_York')), '2026-10-31T13:00:00.000Z')
  t.equal(iso(windowStart('2026-11-01', policy, 'America/New_York')), '2026-11-01T14:00:00.000Z')
})

t.test('Asia/Tokyo has no daylight saving time', async (t) => {
  t.equal(iso(windowStart('2026-01-15', policy, 'Asia/Tokyo')), '2026-01-15T00:00:00.000Z')
  t.equal(iso(windowStart('2026-07-15', policy, 'Asia/Tokyo')), '2026-07-15T00:00:00.000Z')
})

t.test('local times that do not exist or happen twice', async (t) => {
  t.equal(iso(zonedInstant('2026-03-08', '02:30', 'America/New_York')), '2026-03-08T07:30:00.000Z', 'gap: 03:30 EDT')
  t.equal(iso(zonedInstant('2026-11-01', '01:30', 'America/New_York')), '2026-11-01T05:30:00.000Z', 'twice: the first')
  t.equal(iso(zonedInstant('2026-03-29', '02:30', 'Europe/Paris')), '2026-03-29T01:30:00.000Z', 'gap: 03:30 CEST')
  t.equal(iso(zonedInstant('2026-10-25', '02:30', 'Europe/Paris')), '2026-10-25T00:30:00.000Z', 'twice: the first')
  t.equal(iso(zonedInstant('2026-09-06', '00:00', 'America/Santiago')), '2026-09-06T04:00:00.000Z', 'midnight skipped')
  t.equal(iso(zonedInstant('2026-06-01', '09:00', 'Asia/Kolkata')), '2026-06-01T03:30:00.000Z', 'half-hour offset')
})

t.test('localDate and localTime read the wall clock of the zone', async (t) => {
  t.equal(localDate(new Date('2026-03-10T23:30:00Z'), 'Europe/Paris'), '2026-03-11')
  t.equal(localDate(new Date('2026-03-10T23:30:00Z'), 'UTC'), '2026-03-10')
  t.equal(localDate(new Date('2026-07-15T15:30:00Z'), 'Asia/Tokyo'), '2026-07-16')
  t.equal(localDate(new Date('2026-03-11T03:00:00Z'), 'America/New_York'), '2026-03-10')
  t.equal(localTime(new Date('2026-07-15T07:00:00Z'), 'Europe/Paris'), '09:00')
})

t.test('nextSendInstant keeps an instant already inside the window', async (t) => {
  t.equal(next('2026-03-10T10:17:00Z', 'Europe/Paris', 'FR'), '2026-03-10T10:17:00.000Z')
  t.equal(next('2026-03-10T05:00:00Z', 'Europe/Paris', 'FR'), '2026-03-10T08:00:00.000Z', 'before the window')
  t.equal(next('2026-03-10T17:00:00Z', 'Europe/Paris', 'FR'), '2026-03-11T08:00:00.000Z', 'the end is excluded')
  t.equal(next('2026-03-13T17:30:00Z', 'Europe/Paris', 'FR'), '2026-03-16T08:00:00.000Z', 'Friday evening → Monday')
})

t.test('nextSendInstant skips public holidays when business days only', async (t) => {
  t.equal(next('2026-04-30T17:30:00Z', 'Europe/Paris', 'FR'), '2026-05-04T07:00:00.000Z', '1 May, then the weekend')
  t.equal(next('2026-04-30T17:30:00Z', 'Europe/Paris', 'FR', false), '2026-05-01T07:00:00.000Z', 'unless not asked')
  t.equal(next('2026-07-13T18:00:00Z', 'Europe/Paris', 'FR'), '2026-07-15T07:00:00.000Z', '14 July')
  t.equal(next('2026-07-14T08:00:00Z', 'Europe/Berlin', 'DE'), '2026-07-14T08:00:00.000Z', 'worked in Germany')
  const sixDays = { ...policy, weekdays: [1, 2, 3, 4, 5, 6] }
  t.equal(next('2026-10-02T17:00:00Z', 'Europe/Berlin', 'DE', false, sixDays), '2026-10-03T07:00:00.000Z')
  t.equal(
    next('2026-10-02T17:00:00Z', 'Europe/Berlin', 'DE', true, sixDays),
    '2026-10-05T07:00:00.000Z',
    'German Unity Day (a Saturday) and Sunday skipped',
  )
})

t.test('nextSendInstant across a weekend with a clock change', async (t) => {
  t.equal(next('2026-03-27T17:00:00Z', 'Europe/Paris', 'FR'), '2026-03-30T07:00:00.000Z', 'Paris spring')
  t.equal(next('2026-10-23T17:00:00Z', 'Europe/Paris', 'FR'), '2026-10-26T08:00:00.000Z', 'Paris autumn')
  t.equal(next('2026-03-06T23:00:00Z', 'America/New_York', 'US'), '2026-03-09T13:00:00.000Z', 'New York spring')
  t.equal(next('2026-10-30T22:30:00Z', 'America/New_York', 'US'), '2026-11-02T14:00:00.000Z', 'New York autumn')
  t.equal(next('2026-07-15T09:00:00Z', 'Asia/Tokyo', 'JP'), '2026-07-16T00:00:00.000Z', '18:00 in Tokyo → next day')
  t.equal(next('2026-07-17T09:00:00Z', 'Asia/Tokyo', 'JP'), '2026-07-21T00:00:00.000Z', 'weekend and Marine Day')
})

t.test('nextSendInstant honours allowed weekdays and never sends in a window lost to DST', async (t) => {
  const saturdays = { ...policy, weekdays: [6] }
  t.equal(next('2026-03-10T08:00:00Z', 'Europe/Paris', 'FR', false, saturdays), '2026-03-14T08:00:00.000Z')
  const lostHour = { window_start: '02:00', window_end: '02:30', weekdays: [7] }
  t.equal(
    next('2026-03-08T05:00:00Z', 'America/New_York', 'US', false, lostHour),
    '2026-03-15T06:00:00.000Z',
    '02:00-02:30 does not exist on 8 March: the next Sunday',
  )
  t.throws(() => next('2026-03-10T08:00:00Z', 'Europe/Paris', 'FR', true, { ...policy, window_end: '08:00' }), RangeError)
})

t.test('the scenario schema refuses a send policy that could never send', async (t) => {
  t.notOk(sendPolicySchema.safeParse({ window_start: '18:00', window_end: '09:00' }).success, 'inverted window')
  t.notOk(sendPolicySchema.safeParse({ window_start: '09:00', window_end: '09:00' }).success, 'empty window')
  t.ok(sendPolicySchema.safeParse({}).success, 'the defaults are fine')
  const step = { key: 'a', offset_days: 1, channels: [{ channel: 'email', template: 'x' }] }
  const weekend = { weekdays: [6, 7] }
  t.notOk(scenarioDefinitionSchema.safeParse({ steps: [step], send_policy: weekend }).success)
  t.ok(scenarioDefinitionSchema.safeParse({ steps: [{ ...step, business_days_only: false }], send_policy: weekend }).success)
})
