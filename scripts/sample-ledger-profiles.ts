/**
 * Who owes money in the sample ledger: made-up French and European debtors, written by hand so the
 * demo reads like a real book of receivables. Addresses follow NF Z10-011 (≤ 38 characters a
 * line, postcode and city apart). Three of them script a sandbox outcome (src/sandbox/scripted-outcome.ts):
 * the simulators read "refuse" / "negligence" in the recipient's e-mail or postal address.
 */

export type Segment = 'tpe' | 'pme' | 'eti' | 'grand_compte'
export type Outcome = 'refused' | 'not_claimed'

export interface DebtorProfile {
  ref: string
  kind: 'business' | 'consumer' | 'public_body'
  name: string
  segment: Segment | null
  country: 'FR' | 'DE' | 'BE' | 'IT' | 'ES' | 'NL' | 'CH'
  street: string
  postcode: string
  city: string
  contact: string
  /** Mail domain of a business, or the consumer's mailbox provider. */
  domain: string
  /** The local part of the e-mail, when it must script a sandbox outcome. */
  mailbox?: string
  /** Consumers: agreed to electronic registered letters (the LRE then replaces the postal LRAR). */
  lreConsent?: boolean
  outcome?: Outcome
}

const fr = (
  ref: string,
  name: string,
  segment: Segment,
  street: string,
  postcode: string,
  city: string,
  contact: string,
  domain: string,
  extra: Partial<DebtorProfile> = {},
): DebtorProfile => ({ ref, kind: 'business', name, segment, country: 'FR', street, postcode, city, contact, domain, ...extra })

const eu = (ref: string, country: DebtorProfile['country'], name: string, segment: Segment, street: string, postcode: string, city: string, contact: string, domain: string): DebtorProfile => ({
  ref, kind: 'business', name, segment, country, street, postcode, city, contact, domain,
})

const person = (ref: string, name: string, street: string, postcode: string, city: string, lreConsent: boolean, extra: Partial<DebtorProfile> = {}): DebtorProfile => ({
  ref, kind: 'consumer', name, segment: null, country: 'FR', street, postcode, city, contact: name.replace(/^(M\.|Mme) /, ''), domain: 'orange.fr', lreConsent, ...extra,
})

const publicBody = (ref: string, name: string, street: string, postcode: string, city: string, contact: string, domain: string): DebtorProfile => ({
  ref, kind: 'public_body', name, segment: null, country: 'FR', street, postcode, city, contact, domain,
})

export const DEBTOR_PROFILES: readonly DebtorProfile[] = [
  fr('CLI-0001', 'Boulangerie Moreau SARL', 'tpe', '14 rue Paul Bert', '69003', 'Lyon', 'Nathalie Moreau', 'boulangerie-moreau.fr'),
  fr('CLI-0002', 'Garage Lemaire & Fils', 'tpe', '7 avenue de Caen', '76000', 'Rouen', 'Didier Lemaire', 'garage-lemaire.fr'),
  fr('CLI-0003', 'Cabinet Fontaine Architectes', 'tpe', '3 quai de la Fosse', '44000', 'Nantes', 'Claire Fontaine', 'fontaine-archi.fr'),
  fr('CLI-0004', 'Menuiserie Girard', 'tpe', '22 rue Bressigny', '49100', 'Angers', 'Paul Girard', 'menuiserie-girard.fr'),
  fr('CLI-0005', 'Transports Roux SAS', 'pme', '5 rue Barrouin', '42000', 'Saint-Étienne', 'Sandrine Roux', 'transports-roux.fr'),
  fr('CLI-0006', 'Imprimerie Chevalier', 'pme', '18 boulevard de la Liberté', '35000', 'Rennes', 'Marc Chevalier', 'imprimerie-chevalier.fr'),
  fr('CLI-0007', 'Atelier Mercier Métallerie SAS', 'pme', '41 chemin de la Flambère', '31200', 'Toulouse', 'Hugo Mercier', 'mercier-metal.fr'),
  fr('CLI-0008', 'Clinique vétérinaire Blanc', 'tpe', '9 cours de Verdun', '33000', 'Bordeaux', 'Dr Élodie Blanc', 'veto-blanc.fr'),
  fr('CLI-0009', 'Bati-Nord Construction SAS', 'pme', '120 rue Nationale', '59000', 'Lille', 'Franck Delattre', 'bati-nord.fr', { mailbox: 'compta-refuse', outcome: 'refused' }),
  fr('CLI-0010', 'Hôtel du Vieux Port SARL', 'tpe', '2 quai du Port', '13002', 'Marseille', 'Jean-Luc Ferrand', 'hotel-vieuxport.fr'),
  fr('CLI-0011', 'Laboratoires Dumas SA', 'eti', '1050 avenue de la Mer', '34000', 'Montpellier', 'Isabelle Dumas', 'labo-dumas.fr'),
  fr('CLI-0012', 'Groupe Lefèvre Distribution SAS', 'eti', '66 avenue des Champs-Élysées', '75008', 'Paris', 'Olivier Lefèvre', 'lefevre-distribution.fr'),
  fr('CLI-0013', 'Agence Bonnet Communication', 'tpe', '4 place Kléber', '67000', 'Strasbourg', 'Julie Bonnet', 'agence-bonnet.fr', { mailbox: 'negligence', outcome: 'not_claimed' }),
  fr('CLI-0014', 'Société des Eaux de Vals', 'pme', '12 rue Jean Jaurès', '07600', 'Vals-les-Bains', 'Bernard Vidal', 'eaux-vals.fr'),
  fr('CLI-0015', 'Fromagerie Perrin SAS', 'pme', '30 rue des Granges', '25000', 'Besançon', 'Anne Perrin', 'fromagerie-perrin.fr'),
  fr('CLI-0016', 'Hexagone Retail SA', 'grand_compte', 'Tour Horizon, 52 quai de Dion-Bouton', '92800', 'Puteaux', 'Service fournisseurs', 'hexagone-retail.fr'),
  fr('CLI-0017', 'Aéroports Régionaux Services SA', 'grand_compte', '3 rue Jean Mermoz', '31700', 'Blagnac', 'Comptabilité fournisseurs', 'ars-aero.fr'),
  fr('CLI-0018', 'Compagnie Fruitière du Sud-Ouest', 'eti', '250 avenue du Midi', '47000', 'Agen', 'Laurent Castel', 'cfso.fr'),
  eu('CLI-0019', 'DE', 'Müller Maschinenbau GmbH', 'pme', 'Königstraße 28', '70173', 'Stuttgart', 'Katrin Müller', 'mueller-maschinenbau.de'),
  eu('CLI-0020', 'BE', 'Brasserie Van Damme SRL', 'pme', 'Rue Haute 112', '1000', 'Bruxelles', 'Luc Van Damme', 'brasserie-vandamme.be'),
  eu('CLI-0021', 'IT', 'Rossi Arredamenti S.r.l.', 'pme', 'Via Solferino 14', '20121', 'Milano', 'Giulia Rossi', 'rossi-arredamenti.it'),
  eu('CLI-0022', 'ES', 'Distribuciones García S.L.', 'eti', 'Passeig de Gràcia 55', '08007', 'Barcelona', 'Javier García', 'distribuciones-garcia.es'),
  eu('CLI-0023', 'NL', 'De Vries Logistiek B.V.', 'eti', 'Coolsingel 40', '3011 AD', 'Rotterdam', 'Pieter de Vries', 'devries-logistiek.nl'),
  eu('CLI-0024', 'DE', 'Hoffmann Elektro GmbH', 'tpe', 'Sendlinger Straße 7', '80331', 'München', 'Stefan Hoffmann', 'hoffmann-elektro.de'),
  eu('CLI-0025', 'CH', 'Alpenblick Uhren AG', 'pme', 'Bahnhofstrasse 12', '8001', 'Zürich', 'Reto Keller', 'alpenblick-uhren.ch'),
  publicBody('CLI-0026', 'Commune de Montreuil-Bellay', 'Place des Ormeaux', '49260', 'Montreuil-Bellay', 'Service finances', 'ville-montreuil-bellay.fr'),
  publicBody('CLI-0027', 'Centre hospitalier de Vienne', '1 avenue du Général Leclerc', '38200', 'Vienne', 'Direction des achats', 'ch-vienne.fr'),
  publicBody('CLI-0028', 'Lycée Jean-Moulin', '1 place des Minimes', '69005', 'Lyon', 'Intendance', 'lycee-jean-moulin.fr'),
  person('CLI-0029', 'M. Julien Lambert', '27 rue Oberkampf', '75011', 'Paris', true),
  person('CLI-0030', 'Mme Sophie Garnier', '5 allée des Tilleuls', '44100', 'Nantes', false),
  person('CLI-0031', 'M. Karim Benali', '88 boulevard Baille', '13005', 'Marseille', true),
  person('CLI-0032', 'Mme Chloé Rousseau', '8 chemin des Refuses', '21000', 'Dijon', false, { outcome: 'refused' }),
  person('CLI-0033', 'M. Thomas Faure', '16 cours Berriat', '38000', 'Grenoble', false),
  person('CLI-0034', 'Mme Inès Marchand', '3 impasse des Vignes', '31000', 'Toulouse', true),
  person('CLI-0035', 'M. Pierre Gauthier', '51 rue de Lannoy', '59800', 'Lille', false),
  person('CLI-0036', 'Mme Camille Noël', '10 rue Colbert', '37000', 'Tours', false),
]

export const LANGUAGE: Record<DebtorProfile['country'], string> = { FR: 'fr', DE: 'de', BE: 'fr', IT: 'it', ES: 'es', NL: 'nl', CH: 'de' }
export const TIMEZONE: Record<DebtorProfile['country'], string> = {
  FR: 'Europe/Paris', DE: 'Europe/Berlin', BE: 'Europe/Brussels', IT: 'Europe/Rome', ES: 'Europe/Madrid', NL: 'Europe/Amsterdam', CH: 'Europe/Zurich',
}
