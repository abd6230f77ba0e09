/**
 * Rates are decimal strings ("12.15" = 12.15 %), never floats: a penalty is a product of an amount,
 * a rate and a day count, and is rounded once, at the end, in integer minor units.
 */

/** Fixed-point scale for a percentage: up to 6 decimals ("3.150000"). */
export const RATE_SCALE = 1_000_000n
const RATE_PATTERN = /^(\d{1,3})(?:\.(\d{1,6}))?$/

export function isRateString(value: string): boolean {
  return RATE_PATTERN.test(value)
}

/** "12.15" → 12_150_000n (the percentage times RATE_SCALE). */
export function parseRate(value: string): bigint {
  const match = RATE_PATTERN.exec(value)
  if (!match) throw new RangeError(`Not a percentage rate: ${JSON.stringify(value)} (expected e.g. "12.15")`)
  const whole = BigInt(match[1]!)
  const fraction = BigInt((match[2] ?? '').padEnd(6, '0'))
  return whole * RATE_SCALE + fraction
}

/** 12_150_000n → "12.15" (shortest form, no trailing zeros). */
export function formatRate(scaled: bigint): string {
  const whole = scaled / RATE_SCALE
  const fraction = (scaled % RATE_SCALE).toString().padStart(6, '0').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : whole.toString()
}

export function addRates(a: string, b: string): string {
  return formatRate(parseRate(a) + parseRate(b))
}

/** The greater of two rates, compared exactly. */
export function maxRate(a: string, b: string): string {
  return parseRate(a) >= parseRate(b) ? a : b
}

/** n × rate, exactly. */
export function multiplyRate(rate: string, n: number): string {
  return formatRate(parseRate(rate) * BigInt(n))
}

/**
 * numerator / denominator rounded half up (away from zero for the positive values money takes):
 * the "arrondi au centime le plus proche" accountants apply to interest.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive')
  if (numerator < 0n) return -divideRoundHalfUp(-numerator, denominator)
  return (numerator * 2n + denominator) / (denominator * 2n)
}
