import { formatMoney } from '../templates/format.js'
import type { ClaimTotal } from './case-facts.js'

/** R125-1 CPCE: the simplified small-claims procedure covers at most €5,000, principal and interest included. */
const SMALL_CLAIMS_LIMIT_EUR_CENTS = 500_000

export interface ReadmeInput {
  creditor: string
  debtorName: string
  debtorKind: string
  asOf: string
  totals: ClaimTotal[]
  /** The tenant's country, and whether its law module (French law for FR) computed the amounts. */
  law: { country: string; statutory: boolean }
}

function procedureHint(input: ReadmeInput): string {
  if (input.law.country !== 'FR') {
    return `Le créancier relève du droit du pays ${input.law.country} : les procédures françaises (petites créances,\n` +
      'injonction de payer) ne sont pas indiquées ; voir le droit de ce pays.'
  }
  const eur = input.totals.find((t) => t.currency === 'EUR')
  const withInterest = eur ? eur.principal + eur.penalties : 0
  const small = eur && withInterest > 0 && withInterest <= SMALL_CLAIMS_LIMIT_EUR_CENTS
  return [
    small
      ? `La créance en euros (principal et intérêts : ${formatMoney(withInterest, 'EUR', 'fr')}) ne dépasse pas 5 000 € :\n` +
        'la procédure simplifiée de recouvrement des petites créances (art. L125-1 et R125-1 s. CPCE),\n' +
        'menée par un commissaire de justice, peut être engagée (créance de cause contractuelle ou légale).'
      : 'La créance dépasse 5 000 € (principal et intérêts) ou n’est pas en euros : la procédure\n' +
        'simplifiée de recouvrement des petites créances (art. R125-1 CPCE) ne s’applique pas.',
    'L’injonction de payer (art. 1405 s. CPC) vaut pour une créance contractuelle d’un montant\n' +
      'déterminé : joindre à la requête les factures, la mise en demeure et sa preuve de réception\n' +
      '(ou de refus / de non-réclamation) figurant dans ce dossier.',
  ].join('\n')
}

/** README.txt: what the dossier holds and how to check it, for the court, the commissaire de justice or counsel. */
export function readmeFr(input: ReadmeInput): string {
  return `DOSSIER DE PREUVES — RECOUVREMENT DE CRÉANCE
Créancier : ${input.creditor}
Débiteur : ${input.debtorName} (${input.debtorKind})
Situation arrêtée au : ${input.asOf}

CONTENU
- chronologie.pdf : résumé du dossier — factures, échéances, paiements et avoirs, chaque relance
  (date, canal, résultat), ${input.law.statutory
    ? 'pénalités de retard calculées période par période, indemnité forfaitaire\n  de 40 € pour frais de recouvrement (débiteur professionnel uniquement), date de prescription.'
    : `sans pénalités, indemnité ni date de prescription\n  (Relance n’a pas de module de droit pour le pays ${input.law.country}).`}
- factures/ : les factures PDF telles que transmises par le créancier.
- envois/<date>_<étape>_<canal>_<référence>/ : chaque relance exactement telle qu’envoyée
  (objet.txt, message.txt, message.html ; lettre-envoyee.pdf pour un courrier) et, dans preuves/,
  chaque preuve délivrée par le prestataire : dépôt, accusé de réception, refus, négligence
  (lettre recommandée électronique non réclamée sous 15 jours, art. R53-3 CPCE), pli non
  distribué, avis de réception numérisé.
- manifest.json : la liste de tous les fichiers avec leur empreinte SHA-256 et leur taille, les
  montants, et l’extrait du journal d’audit chaîné couvrant ce dossier.

PROCÉDURE
${procedureHint(input)}
${input.law.country === 'FR'
    ? 'Rappel : la mise en demeure n’interrompt pas la prescription (seules une demande en justice, une\nmesure d’exécution ou une reconnaissance de dette l’interrompent).'
    : ''}

VÉRIFIER L’INTÉGRITÉ
1. Chaque fichier : « sha256sum <fichier> » doit donner l’empreinte indiquée dans manifest.json.
2. Le journal d’audit : chaque événement y figure avec le hash de l’événement précédent ; son
   hash est le SHA-256 de ses champs, un par ligne (voir « canonical » dans manifest.json) :
   jq -j '.audit.entries[0].canonical' manifest.json | sha256sum   → égal à « hash »
   jq -j '.audit.entries[0].snapshot' manifest.json | sha256sum    → égal à « snapshot_sha256 »
   La tête de chaîne (audit.head) peut être comparée à tout moment avec GET /v1/audit/verify.
`
}
