import { sha256Hex } from '../../shared/crypto.js'
import { whenSent, type CaseDispatch, type CaseProof } from './evidence.repository.js'
import { SENT_LETTER_LOCATOR } from '../dispatch/proofs.js'

export interface DossierFile {
  path: string
  content: Buffer
  content_type: string
  /** What the file proves, in French, for the reader of manifest.json. */
  describes: string
}

export interface ManifestFile {
  path: string
  sha256: string
  size: number
  content_type: string
  describes: string
}

export const manifestEntry = (f: DossierFile): ManifestFile => ({
  path: f.path,
  sha256: sha256Hex(f.content),
  size: f.content.length,
  content_type: f.content_type,
  describes: f.describes,
})

/** Safe in every unzip tool and file system: ASCII letters, digits, dot, dash, underscore. */
export const safeName = (name: string) => name.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80) || 'fichier'

const TEXT = 'text/plain; charset=utf-8'

export function dispatchFolder(d: CaseDispatch): string {
  const day = whenSent(d).toISOString().slice(0, 10)
  return `envois/${day}_${safeName(d.step_key)}_${d.channel}_${d.dispatch_id}`
}

/** One dispatch's words exactly as rendered and sent, and every proof the provider issued for it. */
export function dispatchFiles(d: CaseDispatch, proofs: readonly CaseProof[]): DossierFile[] {
  const folder = dispatchFolder(d)
  const files: DossierFile[] = []
  const content = d.content ?? {}
  if (content.subject) files.push({ path: `${folder}/objet.txt`, content: Buffer.from(content.subject, 'utf8'), content_type: TEXT, describes: 'Objet du message tel qu’envoyé' })
  if (content.text) files.push({ path: `${folder}/message.txt`, content: Buffer.from(content.text, 'utf8'), content_type: TEXT, describes: 'Texte du message tel qu’envoyé' })
  if (content.html) files.push({ path: `${folder}/message.html`, content: Buffer.from(content.html, 'utf8'), content_type: 'text/html; charset=utf-8', describes: 'Version HTML du message telle qu’envoyée' })
  for (const p of proofs) {
    if (!p.content) continue
    const sentLetter = p.locator === SENT_LETTER_LOCATOR
    files.push(
      sentLetter
        ? { path: `${folder}/lettre-envoyee.pdf`, content: p.content, content_type: p.content_type, describes: `Lettre PDF exactement telle que remise au prestataire (sha256 ${d.letter_sha256 ?? p.sha256})` }
        : { path: `${folder}/preuves/${p.kind}_${p.proof_id}_${safeName(p.filename)}`, content: p.content, content_type: p.content_type, describes: `Preuve du prestataire : ${p.kind}` },
    )
  }
  return files
}
