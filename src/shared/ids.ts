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
  testClock: 'clk',
  dispatch: 'dsp',
  dunningCase: 'case',
  scenario: 'scn',
  scenarioRule: 'srl',
  channelConnection: 'chc',
  dispatchEvent: 'dse',
  proof: 'prf',
  task: 'tsk',
  template: 'tpl',
  webhookEndpoint: 'we',
  webhookDelivery: 'whd',
  webhookAttempt: 'wha',
  signingKey: 'wsk',
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

let lastMs = -1
let lastTail: number[] = []

/** The next tail after `tail` in base 32: ids made in one millisecond still sort in creation order. */
function increment(tail: number[]): number[] {
  const next = [...tail]
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i]! += 1
      return next
    }
    next[i] = 0
  }
  return next
}

/**
 * Prefixed, opaque, time-ordered ids (`inv_01j…`). Time first so that ordering by id is ordering by
 * creation, which is what cursor pagination and event order rely on; 80 random bits after it keep
 * them unguessable, and within one millisecond (ULID-style) the tail counts up instead.
 */
export function newId(kind: IdKind, now = Date.now()): string {
  let tail: number[]
  if (now === lastMs) {
    tail = increment(lastTail)
  } else {
    const random = randomBytes(16)
    tail = Array.from(random, (byte) => byte % 32)
    // Leave headroom so counting up within a millisecond never wraps.
    tail[0] = tail[0]! % 16
  }
  lastMs = now
  lastTail = tail
  return `${ID_PREFIXES[kind]}_${encodeTime(now)}${tail.map((d) => CROCKFORD[d]).join('')}`
}

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-z]{26}$`)
}
