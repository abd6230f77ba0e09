import t from 'tap'
import {
  checkVatNumber,
  compactId,
  frenchVatKey,
  isValidSiren,
  isValidSiret,
  luhnValid,
  sirenOfFrenchVat,
} from '../../src/shared/registration-ids.js'

t.test('Luhn', async (t) => {
  t.ok(luhnValid('79927398713'), 'the textbook example')
  t.notOk(luhnValid('79927398710'))
  t.notOk(luhnValid(''), 'no digits is not a number')
  t.notOk(luhnValid('7992739871a'))
})

t.test('SIREN: 9 digits with a Luhn check digit', async (t) => {
  for (const siren of ['732829320', '552100554', '356000000', '443061841']) t.ok(isValidSiren(siren), siren)
  t.notOk(isValidSiren('732829321'), 'wrong check digit')
  t.notOk(isValidSiren('73282932'), 'too short')
  t.notOk(isValidSiren('7328293200'), 'too long')
  t.notOk(isValidSiren('732 829 320'), 'the compact form only')
})

t.test('SIRET: 14 digits, Luhn, and its SIREN valid too', async (t) => {
  t.ok(isValidSiret('73282932000074'))
  t.ok(isValidSiret('33243395200022'))
  t.notOk(isValidSiret('73282932000079'), 'wrong check digit')
  t.notOk(isValidSiret('7328293200007'), 'too short')
  t.ok(luhnValid('73282932100015'), 'Luhn over 14 digits holds here…')
  t.notOk(isValidSiret('73282932100015'), '…but its SIREN 732829321 is not valid')
})

t.test('SIRET of La Poste: digit sum a multiple of 5, except the head office', async (t) => {
  t.ok(isValidSiret('35600000000048'), 'head office: plain Luhn (digit sum 26)')
  t.ok(isValidSiret('35600000049837'), 'an establishment: digit sum 45, not Luhn')
  t.notOk(luhnValid('35600000049837'), 'which Luhn alone would reject')
  t.ok(isValidSiret('35600000052135'), 'digit sum 30')
  t.notOk(isValidSiret('35600000049838'), 'digit sum 46')
  t.notOk(isValidSiret('35600000000049'), 'head office with a wrong check digit')
})

t.test('French VAT key = (12 + 3 × (SIREN mod 97)) mod 97', async (t) => {
  t.equal(frenchVatKey('732829320'), '44')
  t.equal(frenchVatKey('303265045'), '40')
  t.equal(frenchVatKey('000000000'), '12')
  t.match(frenchVatKey('443061841'), /^\d{2}$/, 'always two digits')
  t.same(checkVatNumber('FR44732829320'), { valid: true })
  t.same(checkVatNumber('FR40303265045'), { valid: true })
  t.same(checkVatNumber('FR23334175221'), { valid: true })
  t.match(checkVatNumber('FR45732829320'), { valid: false, reason: /key/ })
  t.match(checkVatNumber('FR84323140391'), { valid: false })
  t.match(checkVatNumber('FR44732829321'), { valid: false }, 'the SIREN inside must be valid')
  t.match(checkVatNumber('FR4473282932'), { valid: false, reason: /format/ })
})

t.test('French VAT: new-style keys with letters, never I or O', async (t) => {
  t.same(checkVatNumber('FRK7399859412'), { valid: true })
  t.same(checkVatNumber('FR4Z123456782'), { valid: true })
  t.match(checkVatNumber('FRIO334175221'), { valid: false })
  t.match(checkVatNumber('FRK7399859413'), { valid: false })
})

t.test('other EU VAT numbers: format by country prefix', async (t) => {
  for (const vat of ['DE136695976', 'BE0403019261', 'NL004495445B01', 'ATU13585627', 'ESA28015865', 'EL094019245', 'IE6388047V', 'SE556703748501', 'XI123456789']) {
    t.same(checkVatNumber(vat), { valid: true }, vat)
  }
  t.match(checkVatNumber('DE13669597'), { valid: false, reason: /DE/ })
  t.match(checkVatNumber('GR094019245'), { valid: false, reason: /prefix/ }, 'Greece uses EL')
  t.match(checkVatNumber('GB123456789'), { valid: false, reason: /prefix/ }, 'the UK left the EU VAT area')
  t.match(checkVatNumber('US123456789'), { valid: false })
})

t.test('compact form and the SIREN inside a French VAT number', async (t) => {
  t.equal(compactId(' fr 44 732.829-320 '), 'FR44732829320')
  t.equal(sirenOfFrenchVat('FR44732829320'), '732829320')
  t.equal(sirenOfFrenchVat('DE136695976'), null)
})
