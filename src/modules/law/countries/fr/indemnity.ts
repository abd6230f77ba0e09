import type { IndemnityInput, RecoveryIndemnity } from '../../country-law.js'

/**
 * €40 per invoice paid late (art. L441-10 II and D441-5 C. com., décret 2012-1115), owed by
 * professionals (public buyers included) only, never by consumers; flat, not per day, not subject
 * to VAT, and always in euros whatever the invoice currency. A fixed amount set by decree, not a
 * rate that moves: the one legal figure kept in code.
 */
export const FR_RECOVERY_INDEMNITY = { amount: 4000, currency: 'EUR' } as const

export function frenchRecoveryIndemnity(input: IndemnityInput): RecoveryIndemnity {
  // Safeguard, receivership or liquidation forbidding payment: the indemnity cannot be claimed.
  const applicable = input.debtorKind !== 'consumer' && input.daysLate > 0 && !input.collectiveProceedings
  return { applicable, amount: applicable ? FR_RECOVERY_INDEMNITY.amount : 0, currency: FR_RECOVERY_INDEMNITY.currency }
}
