/**
 * The print-and-mail simulator's sendings and their scripted life after submit (simulated time):
 * ACCEPTED +5 min, PROCESSED +2 h, deposit proof +3 h (LRAR), A01 +1 day, then per outcome:
 * delivered D01 +2 d (N01 scanned AR +4 d) · refused A02, P04 (N05 +4 d) · not claimed A02, P01,
 * P03 +17 d (N03 +19 d) · undelivered <code> +3 d (N02 +5 d; N10 for simple letters).
 */
import { randomUUID } from 'node:crypto'
import { DueQueue } from './due-queue.js'
import { scriptedOutcome, type Outcome } from './scripted-outcome.js'
import { DAY, HOUR, MINUTE } from './sim-clock.js'

export type Resource = 'registered_mail/v2' | 'mail/v2'

export interface SimRecipient {
  id: string
  fields: Record<string, unknown>
  status: 'DRAFT' | 'PENDING' | 'PROCESSED'
  processed: boolean
  scanAvailable: boolean
  deliveries: { status: string; label: string; date: string }[]
}

type Step = { at: number } & ({ kind: 'status'; status: 'ACCEPTED' | 'PROCESSED' } | { kind: 'deposit' } | { kind: 'delivery'; code: string })

export interface SimSending {
  id: string
  resource: Resource
  fields: Record<string, unknown>
  status: 'DRAFT' | 'PENDING' | 'ACCEPTED' | 'PROCESSED'
  dates: { creation: Date; submission?: Date; processed?: Date; depositProof?: Date }
  documents: { id: string; name: string; content: Buffer }[]
  recipient?: SimRecipient
}

export interface SimNotification {
  eventType: string
  resourceType: string
  sending: SimSending
  resourceId: string
  location: string
}

const LABELS: Record<string, string> = {
  A01: 'Pris en charge', A02: 'Avisé', P01: 'En attente de retrait au guichet', P03: 'Retourné : délai d’instance dépassé',
  P04: 'Retourné : refusé', D01: 'Distribué', N01: 'AR signé', N02: 'PND', N03: 'Non réclamé', N05: 'Refusé', N10: 'PND lettre simple',
  A21: 'Boîte aux lettres inaccessible', A22: 'Boîte aux lettres non identifiable', A23: 'Adresse incorrecte', A24: 'Retour après enquête',
  A25: 'Retour à la demande de l’expéditeur', A26: 'Autre motif de retour',
}

function deliveryScript(outcome: Outcome, registered: boolean): [number, string][] {
  const scan = (code: string, day: number): [number, string][] => (registered ? [[day * DAY, code]] : [])
  switch (outcome.kind) {
    case 'delivered':
      return [[2 * DAY, 'D01'], ...scan('N01', 4)]
    case 'refused':
      return [[2 * DAY, 'A02'], [2 * DAY + HOUR, 'P04'], ...scan('N05', 4)]
    case 'not_claimed':
      return [[2 * DAY, 'A02'], [2 * DAY + HOUR, 'P01'], [17 * DAY, 'P03'], ...scan('N03', 19)]
    case 'bounced': // a letter cannot bounce: the closest is "returned, other reason"
    case 'undelivered':
      return [[3 * DAY, outcome.kind === 'undelivered' ? outcome.code : 'A26'], [5 * DAY, registered ? 'N02' : 'N10']]
  }
}

export class PrintMailSimState {
  readonly sendings = new Map<string, SimSending>()
  readonly sendsByRef: Record<string, number> = {}
  private readonly due = new DueQueue<{ sending: SimSending; step: Step }>()
  newId(): string {
    return randomUUID()
  }

  /** `instant`: every step of the letter's life is due now (early callbacks, faults.ts). */
  submit(sending: SimSending, now: Date, instant = false): void {
    const t = now.getTime()
    const address = Object.values(sending.recipient?.fields ?? {}).join(' ')
    const registered = sending.resource === 'registered_mail/v2'
    sending.status = 'PENDING'
    sending.dates.submission = now
    sending.recipient!.status = 'PENDING'
    const steps: Step[] = [
      { at: t + 5 * MINUTE, kind: 'status', status: 'ACCEPTED' },
      { at: t + 2 * HOUR, kind: 'status', status: 'PROCESSED' },
      ...(registered ? [{ at: t + 3 * HOUR, kind: 'deposit' } as Step] : []),
      { at: t + DAY, kind: 'delivery', code: 'A01' },
      ...deliveryScript(scriptedOutcome(address), registered).map(([offset, code]): Step => ({ at: t + offset, kind: 'delivery', code })),
    ]
    for (const step of steps) this.due.push(instant ? t : step.at, { sending, step: instant ? { ...step, at: t } : step })
    const ref = String(sending.fields.custom_id ?? '')
    this.sendsByRef[ref] = (this.sendsByRef[ref] ?? 0) + 1
  }

  /** Applies every step due at `now`; returns the notifications the provider would send. */
  tick(now: Date): SimNotification[] {
    return this.due.popDue(now.getTime()).flatMap(({ sending, step }) => this.apply(sending, step))
  }

  private apply(sending: SimSending, step: Step): SimNotification[] {
    const at = new Date(step.at)
    const recipient = sending.recipient!
    const onSending = (eventType: string): SimNotification => ({
      eventType,
      resourceType: `${sending.resource}/sendings`,
      sending,
      resourceId: sending.id,
      location: `${sending.resource}/sendings/${sending.id}`,
    })
    if (step.kind === 'status') {
      sending.status = step.status
      if (step.status === 'PROCESSED') {
        sending.dates.processed = at
        recipient.status = 'PROCESSED'
        recipient.processed = true
      }
      return [onSending(`ON_STATUS_${step.status}`)]
    }
    if (step.kind === 'deposit') {
      sending.dates.depositProof = at
      return [onSending('ON_DEPOSIT_PROOF_RECEIVED')]
    }
    recipient.deliveries.push({ status: step.code, label: LABELS[step.code] ?? step.code, date: at.toISOString() })
    if (!step.code.startsWith('N') || sending.resource !== 'registered_mail/v2') return []
    recipient.scanAvailable = true
    return [{
      eventType: 'ON_ACKNOWLEDGEMENT_OF_RECEIPT_RECEIVED',
      resourceType: 'registered_mail/v2/recipients',
      sending,
      resourceId: recipient.id,
      location: `registered_mail/v2/sendings/${sending.id}/recipients/${recipient.id}`,
    }]
  }
}
