/**
 * Scripted outcomes, chosen by the recipient's e-mail or postal address so a sandbox user can
 * exercise every path without any setting: `refuse`, `negligence`, `bounce`, `pnd-a23`…
 * Faults on the request itself: `reject` (provider error), `maintenance` (try again later).
 */
export type Outcome =
  | { kind: 'delivered' }
  | { kind: 'refused' }
  | { kind: 'not_claimed' }
  | { kind: 'bounced' }
  | { kind: 'undelivered'; code: string }

export type Fault = 'reject' | 'maintenance' | null

export function scriptedOutcome(recipient: string): Outcome {
  const text = recipient.toLowerCase()
  const pnd = /pnd-([a-z]\d{2})/.exec(text)
  if (pnd?.[1]) return { kind: 'undelivered', code: pnd[1].toUpperCase() }
  if (text.includes('refuse')) return { kind: 'refused' }
  if (text.includes('negligence') || text.includes('not-claimed')) return { kind: 'not_claimed' }
  if (text.includes('bounce')) return { kind: 'bounced' }
  return { kind: 'delivered' }
}

export function scriptedFault(recipient: string): Fault {
  const text = recipient.toLowerCase()
  if (text.includes('maintenance')) return 'maintenance'
  if (text.includes('reject')) return 'reject'
  return null
}
