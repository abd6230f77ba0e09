import t from 'tap'
import { isBusinessDay, isoWeekday, isPublicHoliday, nextBusinessDay } from '../../src/modules/engine/calendar.js'

t.test('ISO weekdays run from Monday = 1 to Sunday = 7', async (t) => {
  t.equal(isoWeekday('2026-03-09'), 1)
  t.equal(isoWeekday('2026-03-14'), 6)
  t.equal(isoWeekday('2026-03-15'), 7)
  t.equal(isoWeekday('2024-02-29'), 4)
})

t.test('French public holidays are not business days', async (t) => {
  for (const date of ['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-07-14', '2026-11-11']) {
    t.notOk(isBusinessDay(date, 'FR'), `${date} is a holiday in France`)
  }
  t.ok(isBusinessDay('2026-05-04', 'FR'), 'an ordinary Monday')
  t.ok(isBusinessDay('2026-07-15', 'FR'), 'the day after Bastille Day')
})

t.test('holidays are per country', async (t) => {
  t.ok(isPublicHoliday('2026-10-03', 'DE'), 'German Unity Day')
  t.notOk(isPublicHoliday('2026-10-03', 'FR'))
  t.notOk(isBusinessDay('2025-10-03', 'DE'), 'a Friday in 2025, a holiday in Germany')
  t.ok(isBusinessDay('2025-10-03', 'FR'), 'the same Friday is worked in France')
  t.ok(isBusinessDay('2026-07-14', 'DE'), '14 July is worked in Germany')
  t.notOk(isBusinessDay('2026-07-03', 'US'), 'observed Independence Day (substitute) in the US')
})

t.test('only public holidays count: bank holidays and observances are worked', async (t) => {
  t.ok(isBusinessDay('2026-12-24', 'DE'), 'Heiligabend is a bank holiday, not a public one')
  t.ok(isBusinessDay('2026-02-16', 'DE'), 'Rosenmontag is an observance')
})

t.test('weekends are never business days; an unknown country has weekends only', async (t) => {
  t.notOk(isBusinessDay('2026-03-14', 'FR'))
  t.notOk(isBusinessDay('2026-03-15', 'XX'))
  t.ok(isBusinessDay('2026-05-01', 'XX'), 'no holiday rules for an unknown code')
  t.notOk(isBusinessDay('2026-05-01', 'fr'), 'the country code is case-insensitive')
})

t.test('nextBusinessDay keeps a business day and skips weekends and holidays', async (t) => {
  t.equal(nextBusinessDay('2026-03-10', 'FR'), '2026-03-10')
  t.equal(nextBusinessDay('2026-05-01', 'FR'), '2026-05-04', 'Friday holiday, then the weekend')
  t.equal(nextBusinessDay('2026-05-08', 'FR'), '2026-05-11')
  t.equal(nextBusinessDay('2026-07-14', 'FR'), '2026-07-15')
  t.equal(nextBusinessDay('2026-04-04', 'FR'), '2026-04-07', 'Saturday, Sunday, Easter Monday')
  t.equal(nextBusinessDay('2026-12-25', 'DE'), '2026-12-28')
  t.equal(nextBusinessDay('2026-12-26', 'FR'), '2026-12-28')
  t.equal(nextBusinessDay('2027-01-01', 'FR'), '2027-01-04', 'a new year on a Friday')
  t.equal(nextBusinessDay('2026-05-01', 'XX'), '2026-05-01')
})
