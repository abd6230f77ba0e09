/** French wording of the dossier: the court and the commissaire de justice read French. */
export const CHANNEL_FR: Record<string, string> = {
  email: 'Courriel',
  sms: 'SMS',
  letter: 'Lettre simple',
  registered_letter: 'Lettre recommandée avec AR',
  registered_email: 'Lettre recommandée électronique',
  call_task: 'Appel téléphonique',
  litigation_handoff: 'Transmission au contentieux',
}

export const STATUS_FR: Record<string, string> = {
  queued: 'programmé',
  sending: 'en cours d’envoi',
  sent: 'envoyé',
  delivered: 'remis',
  refused: 'refusé',
  not_claimed: 'non réclamé',
  undelivered: 'non distribué',
  bounced: 'rejeté',
  failed: 'échec d’envoi',
  cancelled: 'annulé (payé ou suspendu)',
}

export const PROOF_FR: Record<string, string> = {
  deposit: 'preuve de dépôt',
  sending: 'preuve d’envoi',
  receipt: 'accusé de réception',
  refusal: 'preuve de refus',
  negligence: 'preuve de négligence (non réclamé sous 15 jours)',
  undelivered: 'preuve de non-distribution',
  scanned_ar: 'avis de réception numérisé',
  content: 'contenu envoyé',
}

export const INVOICE_STATUS_FR: Record<string, string> = {
  open: 'impayée',
  partially_paid: 'partiellement payée',
  paid: 'payée',
  disputed: 'contestée',
  cancelled: 'annulée',
  written_off: 'passée en perte',
}

export const DEBTOR_KIND_FR: Record<string, string> = {
  business: 'professionnel',
  consumer: 'consommateur',
  public_body: 'personne publique',
}

export const label = (table: Record<string, string>, key: string) => table[key] ?? key
