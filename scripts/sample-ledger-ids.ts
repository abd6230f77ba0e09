/**
 * Registration numbers that pass the real check-digit rules (src/shared/registration-ids.ts for
 * France; each country's published algorithm for the others), made from a seeded random source so
 * a sample ledger is the same on every run. They are made up: none is meant to name a real company.
 */
import { seededRandom } from '../src/sandbox/seeded-random.js'
import { frenchVatKey, isValidSiren, luhnValid } from '../src/shared/registration-ids.js'

export type Random = () => number

/** mulberry32, shared with the simulators' seeded faults: a tiny seeded PRNG, good enough to pick names and amounts. */
export { seededRandom }

export const digits = (random: Random, n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('')

function withLuhnDigit(body: string): string {
  for (let d = 0; d < 10; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`
  throw new Error('unreachable: one Luhn digit always fits')
}

/** A SIREN; public bodies (communes, hospitals) are in the range INSEE starts with 2. */
export function siren(random: Random, publicBody = false): string {
  for (;;) {
    const first = publicBody ? '2' : String(3 + Math.floor(random() * 6))
    const value = withLuhnDigit(`${first}${digits(random, 7)}`)
    // La Poste's SIREN has its own SIRET rule (registration-ids.ts): keep out of its way.
    if (value !== '356000000' && isValidSiren(value)) return value
  }
}

/** The SIRET of establishment number `nic` (1 = often the head office) of that SIREN. */
export function siret(sirenValue: string, nic: number): string {
  return withLuhnDigit(`${sirenValue}${String(nic).padStart(4, '0')}`)
}

export const frenchVat = (sirenValue: string) => `FR${frenchVatKey(sirenValue)}${sirenValue}`

/** DE: ISO 7064 MOD 11,10 over the first eight digits. */
export function germanVat(random: Random): string {
  const body = `${1 + Math.floor(random() * 9)}${digits(random, 7)}`
  let product = 10
  for (const ch of body) {
    let sum = (Number(ch) + product) % 10
    if (sum === 0) sum = 10
    product = (2 * sum) % 11
  }
  return `DE${body}${(11 - product) % 10}`
}

/** BE: 0 + eight digits + 97 − (those digits mod 97). */
export function belgianVat(random: Random): string {
  const body = `0${4 + Math.floor(random() * 5)}${digits(random, 6)}`
  const check = 97 - (Number(body) % 97)
  return `BE${body}${String(check).padStart(2, '0')}`
}

/** IT: partita IVA, ten digits and a Luhn check digit. */
export const italianVat = (random: Random) => `IT${withLuhnDigit(`0${digits(random, 9)}`)}`

/** ES: a limited company's CIF, B + seven digits + a control digit. */
export function spanishVat(random: Random): string {
  const body = digits(random, 7)
  let sum = 0
  ;[...body].forEach((ch, i) => {
    const n = Number(ch)
    if (i % 2 === 0) sum += Math.floor((2 * n) / 10) + ((2 * n) % 10)
    else sum += n
  })
  return `ESB${body}${(10 - (sum % 10)) % 10}`
}

/** NL: nine digits, weights 9..2 on the first eight, mod 11 (never 10), then B01. */
export function dutchVat(random: Random): string {
  for (;;) {
    const body = `${1 + Math.floor(random() * 8)}${digits(random, 7)}`
    const check = [...body].reduce((sum, ch, i) => sum + Number(ch) * (9 - i), 0) % 11
    if (check < 10) return `NL${body}${check}B01`
  }
}

/** E.164: +33 6/7 mobiles and +33 1–5 landlines for France, a plausible length elsewhere. */
export function phone(random: Random, country: string, mobile: boolean): string {
  const prefixes: Record<string, string> = { FR: '33', DE: '49', BE: '32', IT: '39', ES: '34', NL: '31', CH: '41' }
  const cc = prefixes[country] ?? '33'
  if (cc === '33') return `+33${mobile ? (random() < 0.7 ? '6' : '7') : String(1 + Math.floor(random() * 5))}${digits(random, 8)}`
  return `+${cc}${mobile ? '6' : '2'}${digits(random, 8)}`
}
