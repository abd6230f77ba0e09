/**
 * Turns what the ERP's webhook receiver got during one simulated day into readable lines: who was
 * reminded through which channel, what became of registered letters, who paid and was thanked.
 * Everything printed here arrived as a signed, verified webhook.
 */
import type { RelanceEvent, Schemas } from '../clients/typescript/index.js'
import type { Directory } from './demo-setup.js'

/** Step keys of the default scenarios; event steps are `<trigger>:<hold or plan id>`. */
const STEP_LABELS: Record<string, string> = {
  courtesy_notice: 'courteous notice', first_reminder: 'first reminder', firm_reminder: 'firm reminder', simple_letter: 'simple letter',
  formal_notice: 'formal notice (mise en demeure)', thank_you: 'thank-you', promise_confirmed: 'promise confirmation',
  promise_broken: 'broken-promise notice', instalment_missed: 'missed-instalment notice',
}
const stepLabel = (stepKey: string) => STEP_LABELS[stepKey.split(':')[0]!] ?? stepKey
const CHANNELS: Record<string, string> = {
  email: 'email', sms: 'SMS', letter: 'letter (print-mail)', registered_email: 'LRE (AR24)', registered_letter: 'LRAR (print-mail)',
}
const OUTCOMES: Record<string, string> = {
  'dispatch.delivered': 'delivered (receipt signed)', 'dispatch.refused': 'REFUSED by the recipient', 'dispatch.not_claimed': 'NOT CLAIMED within the legal period',
  'dispatch.undelivered': 'returned undelivered', 'dispatch.bounced': 'bounced', 'dispatch.failed': 'FAILED',
}

export function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('fr-FR', { style: 'currency', currency }).format(amount / 100).replace(/\u202f|\u00a0/g, ' ')
}

export interface Totals {
  byChannel: Record<string, number>
  outcomes: Record<string, number>
  paid: number
  thanked: number
  tasks: number
  escalated: number
  webhooks: number
}

export const newTotals = (): Totals => ({ byChannel: {}, outcomes: {}, paid: 0, thanked: 0, tasks: 0, escalated: 0, webhooks: 0 })

export function countByType(events: RelanceEvent[]): string {
  const counts = new Map<string, number>()
  for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1]).map(([type, n]) => `${type} ×${n}`).join(', ')
}

export function storyLines(events: RelanceEvent[], dir: Directory, totals: Totals): string[] {
  const lines: string[] = []
  const name = (debtorId: string) => dir.debtors.get(debtorId)?.name ?? debtorId
  const invoices = (ids: string[]) => {
    const numbers = ids.map((id) => dir.invoices.get(id)?.number ?? id)
    return numbers.length > 3 ? `${numbers.slice(0, 3).join(', ')} +${numbers.length - 3}` : numbers.join(', ')
  }
  const seen = new Set<string>()
  for (const event of events) {
    if (seen.has(event.id)) continue // at-least-once delivery: deduplicate on the event id
    seen.add(event.id)
    const obj = event.data.object as Record<string, unknown>
    if (event.type === 'dispatch.sent') {
      const d = obj as Schemas['Dispatch']
      if (!CHANNELS[d.channel]) continue // calls and hand-offs are told by task.created / case.escalated
      const label = stepLabel(d.step_key)
      const thanks = label === 'thank-you'
      totals.byChannel[d.channel] = (totals.byChannel[d.channel] ?? 0) + 1
      if (thanks) totals.thanked++
      const to = d.channel === 'email' || d.channel === 'registered_email' ? ` <${dir.debtors.get(d.debtor_id)?.email ?? '?'}>` : ''
      lines.push(`  ${thanks ? 'thanks ' : 'sent   '} ${label} by ${CHANNELS[d.channel]} to ${name(d.debtor_id)}${to} · ${invoices(d.invoice_ids)}`)
    } else if (OUTCOMES[event.type]) {
      const d = obj as Schemas['Dispatch']
      // Registered mail and letters: e-mail deliveries are implied, calls and hand-offs have their own lines.
      if (!CHANNELS[d.channel] || (d.channel === 'email' && event.type === 'dispatch.delivered')) continue
      const outcome = event.type.slice('dispatch.'.length)
      totals.outcomes[`${d.channel} ${outcome}`] = (totals.outcomes[`${d.channel} ${outcome}`] ?? 0) + 1
      const why = d.failure_code ? ` (${d.failure_code}${d.failure_reason ? `: ${d.failure_reason.slice(0, 120)}` : ''})` : ''
      lines.push(`  result  ${CHANNELS[d.channel] ?? d.channel} ${stepLabel(d.step_key)} to ${name(d.debtor_id)}: ${OUTCOMES[event.type]}${why}`)
    } else if (event.type === 'task.created') {
      totals.tasks++
      const t = obj as Schemas['Task']
      lines.push(`  call    task: phone ${name(t.debtor_id)}${t.phone ? ` on ${t.phone}` : ''} · ${invoices(t.invoice_ids)}`)
    } else if (event.type === 'case.escalated') {
      totals.escalated++
      const c = obj as { debtor_id: string; totals: { currency: string; amount_due: number }[]; invoices: unknown[] }
      const owed = c.totals.map((t) => money(t.amount_due, t.currency)).join(' + ')
      lines.push(`  legal   handed to litigation with its dossier: ${name(c.debtor_id)}, ${c.invoices.length} invoice(s), ${owed} owed`)
    } else if (event.type === 'invoice.paid' || event.type === 'invoice.partially_paid') {
      const i = obj as Schemas['Invoice']
      if (event.type === 'invoice.paid') totals.paid++
      const rest = i.amount_due > 0 ? `, ${money(i.amount_due, i.currency)} still due` : ''
      lines.push(`  paid    ${name(i.debtor_id)} paid ${i.number} (${money(i.amount_paid, i.currency)} of ${money(i.amount_total, i.currency)}${rest})`)
    } else if (event.type === 'hold.created' && obj.kind === 'legal') {
      continue // told by the hand-off line
    } else if (event.type === 'hold.expired' && obj.kind === 'promise_to_pay') {
      const h = obj as Schemas['Hold']
      const promised = `${money(h.promised_amount ?? 0, h.promised_currency ?? 'EUR')} by ${h.promised_date}`
      lines.push(`  promise ${h.status === 'kept' ? 'kept' : 'BROKEN'}: ${name(h.debtor_id)} had promised ${promised}`)
    } else if (event.type.startsWith('hold.') || event.type.startsWith('payment_plan.')) {
      const status = String(obj.status ?? '')
      const reason = obj.end_reason ? `: ${String(obj.end_reason)}` : ''
      lines.push(`  ${event.type.startsWith('hold.') ? 'hold   ' : 'plan   '} ${event.type} (${String(obj.kind ?? 'payment plan')}, ${status}) for ${name(String(obj.debtor_id))}${reason}`)
    }
  }
  return lines
}
