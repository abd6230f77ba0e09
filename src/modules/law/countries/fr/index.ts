import type { CountryLaw } from '../../country-law.js'
import { seriesTable } from '../../rate-tables.js'
import { FR_RECOVERY_INDEMNITY, frenchRecoveryIndemnity } from './indemnity.js'
import { frenchConsumerLegalInterest, frenchLatePenalty } from './late-payment.js'
import { frenchPaymentTermsWarnings } from './payment-terms.js'
import { frenchPrescriptionDate, frenchPrescriptionDateSql } from './prescription.js'
import { frenchBasisWording } from './wording.js'

/**
 * French law (facts and sources in ../shared/reference/law-fr.md). A Relance tenant is a creditor
 * acting for its business, so it reads the legal interest rate of "tous les autres cas"; the rate
 * for private-individual creditors is kept in the table for reference only.
 */
export const france: CountryLaw = {
  country: 'FR',
  name: 'France',
  rateSeries: ['ecb_main_refinancing', 'fr_legal_interest_professional_creditor'],
  rateTables: (rows) => ({
    ecbRefinancing: seriesTable(rows, 'ecb_main_refinancing'),
    legalInterest: seriesTable(rows, 'fr_legal_interest_professional_creditor'),
  }),
  latePenalty: frenchLatePenalty,
  consumerLegalInterest: frenchConsumerLegalInterest,
  fixedIndemnity: FR_RECOVERY_INDEMNITY,
  recoveryIndemnity: frenchRecoveryIndemnity,
  paymentTermsWarnings: frenchPaymentTermsWarnings,
  prescriptionDate: frenchPrescriptionDate,
  prescriptionDateSql: frenchPrescriptionDateSql,
  basisWording: frenchBasisWording,
}
