import { randomBytes } from 'node:crypto'

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz'

export const ID_PREFIXES = {
  tenant: 'ten',
  apiKey: 'key',
  platformKey: 'pkey',
  request: 'req',
  event: 'evt',
  debtor: 'dbt',
  invoice: 'inv',
  payment: 'pay',
  creditNote: 'cn',
  allocation: 'alc',
  hold: 'hld',
  paymentPlan: 'pln',
  import: 'imp',
} as const

export type IdKind = keyof typeof ID_PREFIXES

function encodeTime(ms: number): string {
  let out = ''
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[ms % 32] + out
    ms = Math.floor(ms / 32)
  }
  return out
}

/**
 * Prefixed, opaque, time-ordered ids (`inv_01j…`). Time first so that ordering by id is ordering by
 * creation, which is what cursor pagination walks; 80 random bits after it keep them unguessable.
 */
export function newId(kind: IdKind, now = Date.now()): string {
  const random = randomBytes(16)
  let tail = ''
  for (let i = 0; i < 16; i++) tail += CROCKFORD[random[i]! % 32]
  return `${ID_PREFIXES[kind]}_${encodeTime(now)}${tail}`
}

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-z]{26}$`)
}
