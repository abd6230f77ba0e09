import type { PenaltyBasis } from '../../country-law.js'

/** How each basis reads in a letter, in French and in English. */
const LETTER: Record<'fr' | 'en', Record<PenaltyBasis, string>> = {
  fr: {
    ecb_plus_10:
      "taux appliqué par la Banque centrale européenne à son opération de refinancement la plus récente, majoré de 10 points (art. L441-10 du Code de commerce)",
    contract_rate: 'taux prévu par nos conditions générales de vente (art. L441-10 du Code de commerce)',
    ecb_plus_8: 'taux de la Banque centrale européenne majoré de 8 points (intérêts moratoires de la commande publique)',
    legal_interest: "taux de l'intérêt légal, à compter de la mise en demeure (art. 1344-1 du Code civil)",
    none: '',
  },
  en: {
    ecb_plus_10: "European Central Bank's most recent refinancing rate plus 10 percentage points (art. L441-10 French Commercial Code)",
    contract_rate: 'rate set in our terms and conditions of sale (art. L441-10 French Commercial Code)',
    ecb_plus_8: 'European Central Bank rate plus 8 percentage points (late-payment interest in public procurement)',
    legal_interest: 'French legal interest rate, from the formal notice (art. 1344-1 French Civil Code)',
    none: '',
  },
}

/** How each basis reads on a line of the dossier's timeline. */
const SHORT: Record<'fr' | 'en', Record<PenaltyBasis, string>> = {
  fr: {
    ecb_plus_10: 'taux BCE + 10 points (art. L441-10 II C. com.)',
    contract_rate: 'taux contractuel (au moins 3 fois le taux légal)',
    ecb_plus_8: 'taux BCE + 8 points (commande publique)',
    legal_interest: 'intérêt au taux légal depuis la mise en demeure (art. 1344-1 C. civ.)',
    none: 'aucun intérêt',
  },
  en: {
    ecb_plus_10: 'ECB rate + 10 points (art. L441-10 II French Commercial Code)',
    contract_rate: 'contract rate (at least 3 times the legal rate)',
    ecb_plus_8: 'ECB rate + 8 points (public procurement)',
    legal_interest: 'legal interest from the formal notice (art. 1344-1 French Civil Code)',
    none: 'no interest',
  },
}

export function frenchBasisWording(basis: PenaltyBasis, language: string, style: 'letter' | 'short'): string {
  return (style === 'letter' ? LETTER : SHORT)[language === 'fr' ? 'fr' : 'en'][basis]
}
