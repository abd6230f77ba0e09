import t from 'tap'
import { decryptResponse, encryptResponse, signDate, verifySignature } from '../../src/modules/channels/drivers/ar24/index.js'
import { parisDateTime } from '../../src/modules/channels/drivers/ar24/ar24-signing.js'

// Published vectors (providers.md §1): AR24's documentation example, re-run by fxmauricard's tests.
const PRIVATE_KEY = '7X9gx9E3Qx4EiUdB63nc'
const DATE = '2021-05-26 14:00:00'

t.test('the signature header reproduces the published vector', async (t) => {
  t.equal(signDate(DATE, PRIVATE_KEY), 'bDop0cbjKpkySlpvnNGvBMg7PuYFFgPPqTTS2RAHoY0=')
  t.ok(verifySignature('bDop0cbjKpkySlpvnNGvBMg7PuYFFgPPqTTS2RAHoY0=', DATE, PRIVATE_KEY))
  t.notOk(verifySignature(signDate('2021-05-26 14:00:01', PRIVATE_KEY), DATE, PRIVATE_KEY), 'another date does not verify')
})

t.test('the encrypted response decrypts to the published plaintext', async (t) => {
  t.equal(decryptResponse('WwBOU6s8DaMWmYdctBJwfuoujFgVygBUjhsbdf8eWqQ=', DATE, PRIVATE_KEY), '{status: "SUCCESS"}')
  t.equal(encryptResponse('{status: "SUCCESS"}', DATE, PRIVATE_KEY), 'WwBOU6s8DaMWmYdctBJwfuoujFgVygBUjhsbdf8eWqQ=', 'the simulator encrypts the same way')
  t.throws(() => decryptResponse('WwBOU6s8DaMWmYdctBJwfuoujFgVygBUjhsbdf8eWqQ=', '2021-05-26 14:00:01', PRIVATE_KEY), 'the key depends on the date')
})

t.test('dates are Europe/Paris wall-clock time, summer and winter', async (t) => {
  t.equal(parisDateTime(new Date('2026-07-01T10:00:00Z')), '2026-07-01 12:00:00')
  t.equal(parisDateTime(new Date('2026-01-15T23:30:05Z')), '2026-01-16 00:30:05')
})
