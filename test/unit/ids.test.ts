import t from 'tap'
import { randomBase62 } from '../../src/shared/crypto.js'
import { idPattern, newId } from '../../src/shared/ids.js'

t.test('ids are prefixed, opaque and ordered by creation time', async (t) => {
  const first = newId('tenant', Date.UTC(2026, 0, 1))
  const second = newId('tenant', Date.UTC(2026, 0, 2))
  t.match(first, idPattern('tenant'))
  t.ok(first < second, 'later ids sort after earlier ones')
  const many = new Set(Array.from({ length: 10_000 }, () => newId('apiKey')))
  t.equal(many.size, 10_000, 'no collision in 10k ids made in the same milliseconds')
})

t.test('random base62 uses the whole alphabet evenly enough', async (t) => {
  const sample = randomBase62(62 * 200)
  t.equal(sample.length, 62 * 200)
  const counts = new Map<string, number>()
  for (const c of sample) counts.set(c, (counts.get(c) ?? 0) + 1)
  t.equal(counts.size, 62)
  t.ok(Math.max(...counts.values()) < 400, 'no character is heavily favoured')
})

t.test('ids made in the same millisecond keep their creation order', async (t) => {
  const now = Date.now()
  const ids = Array.from({ length: 1000 }, () => newId('event', now))
  t.same([...ids].sort(), ids)
})
