/**
 * The AR24 simulator's mails and their lifecycle: waiting → ev (+1 min) → AR (+1 day) | refused
 * (+2 days) | negligence (+16 days: 15 full days from the day after notification) | bounced (+5 min).
 */
import { randomBytes } from 'node:crypto'
import { parisDateTime } from '../modules/channels/drivers/ar24/ar24-signing.js'
import { DueQueue } from './due-queue.js'
import { scriptedOutcome, type Outcome } from './scripted-outcome.js'
import { DAY, MINUTE } from './sim-clock.js'

export type Ar24Step = 'ev' | 'AR' | 'refused' | 'negligence' | 'bounced'
export const PROOF_CODES: Record<Ar24Step, string> = { ev: 'ev', AR: 'ar', refused: 'rf', negligence: 'ng', bounced: 'bc' }

export interface SimUser {
  id: string
  email: string
  firstname: string
  lastname: string
  company?: string
}

export interface SimMail {
  id: string
  userId: string
  downloadToken: string
  createdAt: Date
  status: 'waiting' | Ar24Step
  reached: Partial<Record<Ar24Step, Date>>
  fields: Record<string, string>
  attachmentIds: string[]
}

function scheduleFor(outcome: Outcome, created: number): { at: number; step: Ar24Step }[] {
  const ev = created + MINUTE
  const terminal: Record<Outcome['kind'], { at: number; step: Ar24Step }> = {
    delivered: { at: ev + DAY, step: 'AR' },
    refused: { at: ev + 2 * DAY, step: 'refused' },
    not_claimed: { at: ev + 16 * DAY, step: 'negligence' },
    bounced: { at: ev + 5 * MINUTE, step: 'bounced' },
    undelivered: { at: ev + 5 * MINUTE, step: 'bounced' }, // an e-mail cannot be "PND": it bounces
  }
  return [{ at: ev, step: 'ev' }, terminal[outcome.kind]]
}

export class Ar24SimState {
  readonly mails = new Map<string, SimMail>()
  readonly attachments = new Map<string, { userId: string; name: string; size: number }>()
  readonly sendsByRef: Record<string, number> = {}
  private readonly due = new DueQueue<{ mail: SimMail; step: Ar24Step; at: number }>()
  private nextId = 100_000

  newId(): string {
    return String(this.nextId++)
  }

  /** `instant`: every step of its lifecycle is due now (early callbacks, faults.ts). */
  createMail(userId: string, fields: Record<string, string>, attachmentIds: string[], now: Date, instant = false): SimMail {
    const mail: SimMail = {
      id: this.newId(),
      userId,
      downloadToken: randomBytes(12).toString('hex'),
      createdAt: now,
      status: 'waiting',
      reached: {},
      fields,
      attachmentIds,
    }
    this.mails.set(mail.id, mail)
    for (const planned of scheduleFor(scriptedOutcome(fields.to_email ?? ''), now.getTime())) {
      const at = instant ? now.getTime() : planned.at
      this.due.push(at, { mail, step: planned.step, at })
    }
    const ref = fields.custom_ref ?? ''
    this.sendsByRef[ref] = (this.sendsByRef[ref] ?? 0) + 1
    return mail
  }

  /** Applies every transition due at `now`; returns the mails that changed. */
  tick(now: Date): SimMail[] {
    const changed = new Set<SimMail>()
    for (const { mail, step, at } of this.due.popDue(now.getTime())) {
      mail.status = step
      mail.reached[step] = new Date(at)
      changed.add(mail)
    }
    return [...changed]
  }

  render(mail: SimMail, baseUrl: string, sender: SimUser): Record<string, unknown> {
    const date = (step: Ar24Step) => (mail.reached[step] ? parisDateTime(mail.reached[step]) : null)
    const proof = (step: Ar24Step) =>
      mail.reached[step] ? `${baseUrl}/get/proof/${PROOF_CODES[step]}-${mail.id}?token=${mail.downloadToken}` : null
    const f = mail.fields
    return {
      id: Number(mail.id),
      type: 'lre',
      status: mail.status,
      creation: parisDateTime(mail.createdAt),
      date: parisDateTime(mail.createdAt),
      from_name: `${sender.firstname} ${sender.lastname}`,
      from_email: sender.email,
      to_firstname: f.to_firstname ?? '',
      to_lastname: f.to_lastname ?? '',
      to_email: f.to_email ?? '',
      to_company: f.to_company ?? '',
      dest_statut: f.dest_statut ?? 'particulier',
      id_sender: Number(mail.userId),
      id_creator: Number(mail.userId),
      price_ht: 3.49,
      ref_dossier: f.ref_dossier ?? null,
      ref_client: f.ref_client ?? null,
      ref_facturation: f.ref_facturation ?? null,
      custom_ref: f.custom_ref ?? null,
      is_eidas: 0,
      send_fail: mail.status === 'bounced' ? 1 : 0,
      proof_ev_url: proof('ev'),
      ts_ev_date: date('ev'),
      proof_ar_url: proof('AR'),
      view_date: date('AR'),
      proof_rf_url: proof('refused'),
      refused_date: date('refused'),
      proof_ng_url: proof('negligence'),
      negligence_date: date('negligence'),
      proof_bc_url: proof('bounced'),
      bounced_date: date('bounced'),
      attachments_details: mail.attachmentIds.map((id) => ({ id: Number(id), name: this.attachments.get(id)?.name ?? '', file_size: this.attachments.get(id)?.size ?? 0 })),
    }
  }
}
