/**
 * Company registration numbers: French SIREN / SIRET and EU VAT numbers. Pure functions over the
 * compact form (no spaces); `compactId` makes that form from what people type ("732 829 320").
 */

export function compactId(value: string): string {
  return value.replace(/[\s.-]/g, '').toUpperCase()
}

/** Luhn over a string of digits: every second digit from the right doubled. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return sum % 10 === 0
}

export function isValidSiren(siren: string): boolean {
  return /^\d{9}$/.test(siren) && luhnValid(siren)
}

const LA_POSTE_SIREN = '356000000'
const LA_POSTE_HEAD_OFFICE = '35600000000048'

/**
 * La Poste numbers its many establishments under one SIREN, so their SIRETs cannot all pass Luhn:
 * INSEE checks them by digit sum (a multiple of 5) instead, except the head office, which is a
 * plain Luhn number (and whose digit sum is 26).
 */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret) || !isValidSiren(siret.slice(0, 9))) return false
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== LA_POSTE_HEAD_OFFICE) {
    const digitSum = [...siret].reduce((sum, d) => sum + Number(d), 0)
    return digitSum % 5 === 0
  }
  return luhnValid(siret)
}

/** The two-digit key of a French VAT number: (12 + 3 × (SIREN mod 97)) mod 97. */
export function frenchVatKey(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97
  return String(key).padStart(2, '0')
}

// New-style French keys (at least one letter) leave out I and O.
const FR_KEY_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'

function frenchVatValid(body: string): boolean {
  if (!/^[0-9A-HJ-NP-Z]{2}\d{9}$/.test(body)) return false
  const key = body.slice(0, 2)
  const siren = body.slice(2)
  // Companies of Monaco have French VAT numbers whose digits are not a SIREN.
  if (!siren.startsWith('000') && !isValidSiren(siren)) return false
  if (/^\d{2}$/.test(key)) return key === frenchVatKey(siren)
  const [first, second] = [FR_KEY_ALPHABET.indexOf(key[0]!), FR_KEY_ALPHABET.indexOf(key[1]!)]
  const check = /\d/.test(key[0]!) ? first * 24 + second - 10 : first * 34 + second - 100
  return (Number(siren) + 1 + Math.floor(check / 11)) % 11 === check % 11
}

/** The national part of each EU VAT number (VIES formats), after the two-letter prefix. */
const EU_VAT_FORMATS: Record<string, RegExp> = {
  AT: /^U\d{8}$/,
  BE: /^[01]\d{9}$/,
  BG: /^\d{9,10}$/,
  CY: /^\d{8}[A-Z]$/,
  CZ: /^\d{8,10}$/,
  DE: /^\d{9}$/,
  DK: /^\d{8}$/,
  EE: /^\d{9}$/,
  EL: /^\d{9}$/,
  ES: /^[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^\d{8}$/,
  FR: /^[0-9A-HJ-NP-Z]{2}\d{9}$/,
  HR: /^\d{11}$/,
  HU: /^\d{8}$/,
  IE: /^(\d{7}[A-WY][A-I]?|\d[A-Z+*]\d{5}[A-W])$/,
  IT: /^\d{11}$/,
  LT: /^(\d{9}|\d{12})$/,
  LU: /^\d{8}$/,
  LV: /^\d{11}$/,
  MT: /^\d{8}$/,
  NL: /^\d{9}B\d{2}$/,
  PL: /^\d{10}$/,
  PT: /^\d{9}$/,
  RO: /^[1-9]\d{1,9}$/,
  SE: /^\d{10}01$/,
  SI: /^\d{8}$/,
  SK: /^\d{10}$/,
  // Northern Ireland trades in goods under EU VAT rules with its own prefix.
  XI: /^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
}

export type VatCheck = { valid: true } | { valid: false; reason: string }

/** An EU VAT number in compact form ("FR44732829320"); French ones have their key checked too. */
export function checkVatNumber(vat: string): VatCheck {
  const prefix = vat.slice(0, 2)
  const format = EU_VAT_FORMATS[prefix]
  if (!format) return { valid: false, reason: 'Must start with an EU VAT prefix (FR, DE, EL, XI…)' }
  if (!format.test(vat.slice(2))) return { valid: false, reason: `Not the format of a ${prefix} VAT number` }
  if (prefix === 'FR' && !frenchVatValid(vat.slice(2))) return { valid: false, reason: 'The check key does not match the SIREN' }
  return { valid: true }
}

/** The SIREN inside a French VAT number, or null for other countries. */
export function sirenOfFrenchVat(vat: string): string | null {
  return vat.startsWith('FR') && vat.length === 13 ? vat.slice(4) : null
}
