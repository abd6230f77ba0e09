/**
 * What the kill -9 run checks once the worker has drained: the providers' own counters against
 * the dispatches in the database (every external dispatch received exactly once by its provider,
 * nothing the database does not know of), each debtor through the whole ladder once, the call
 * tasks and litigation hand-offs once, and the events once per dispatch.
 */
import type { ProviderCounts, ProvidersReport } from './providers-process.js'

export type Query = <R>(text: string) => Promise<R[]>

/** The default scenario's steps, in order; the courtesy notice is stale for debts already due. */
export const LADDER = ['first_reminder', 'firm_reminder', 'call', 'simple_letter', 'formal_notice', 'litigation']

const PROVIDER_OF: Record<string, keyof ProviderCounts> = { email: 'smtp', registered_email: 'ar24', registered_letter: 'printMail', letter: 'printMail' }

export interface Outcome {
  dispatches: number
  byChannel: Record<string, number>
  /** Messages received per provider, duplicates (receptions beyond the first) and dispatches never received. */
  providers: Record<keyof ProviderCounts, { received: number; duplicates: number; missing: number; unknown: number }>
  duplicates: number
  missing: number
  /** Letters whose copy as sent was not kept (a kill between the provider's answer and the copy). */
  lettersWithoutCopy: number
  problems: string[]
}

type Dispatch = { dispatch_id: string; tenant_id: string; debtor_id: string; step_key: string; channel: string; status: string }

/**
 * `smtpAllowance`: how many repeated emails the kills may explain. SMTP has no way to ask the
 * server what it received, so an email accepted just before a kill and not yet journaled goes
 * again, with the same Message-ID (mail clients show it once); AR24 and print-mail are asked, so
 * for them any repeat is a problem.
 */
export async function checkOutcome(query: Query, report: ProvidersReport, expected: { debtors: number; invoices: number }, smtpAllowance: number): Promise<Outcome> {
  const counts = report.counts
  const problems: string[] = []
  const dispatches = await query<Dispatch>('select dispatch_id, tenant_id, debtor_id, step_key, channel, status from dispatches')
  const byChannel: Record<string, number> = {}
  for (const d of dispatches) byChannel[d.channel] = (byChannel[d.channel] ?? 0) + 1

  const providers = {} as Outcome['providers']
  for (const name of Object.keys(counts) as (keyof ProviderCounts)[]) {
    const mine = new Set(dispatches.filter((d) => PROVIDER_OF[d.channel] === name).map((d) => d.dispatch_id))
    const got = counts[name]
    const received = Object.values(got).reduce((n, c) => n + c, 0)
    const duplicates = Object.values(got).reduce((n, c) => n + Math.max(0, c - 1), 0)
    const missing = [...mine].filter((id) => !got[id]).length
    const unknown = Object.keys(got).filter((id) => !mine.has(id)).length
    providers[name] = { received, duplicates, missing, unknown }
    if (duplicates > (name === 'smtp' ? smtpAllowance : 0)) problems.push(`${name}: ${duplicates} message(s) received twice or more (${Object.entries(got).filter(([, c]) => c > 1).slice(0, 5).map(([id, c]) => `${id}×${c}`).join(', ')})`)
    if (missing) problems.push(`${name}: ${missing} dispatch(es) never received`)
    if (unknown) problems.push(`${name}: ${unknown} message(s) for no dispatch of the database`)
  }

  if (report.smtpMessageIdMismatches.length) problems.push(`${report.smtpMessageIdMismatches.length} email(s) sent again under another Message-ID`)

  const unsettled = dispatches.filter((d) => d.status !== 'sent' && d.status !== 'delivered')
  if (unsettled.length) problems.push(`${unsettled.length} dispatch(es) not sent: ${[...new Set(unsettled.map((d) => `${d.channel}:${d.status}`))].join(', ')}`)

  const perDebtor = new Map<string, string[]>()
  for (const d of dispatches) perDebtor.set(`${d.tenant_id}/${d.debtor_id}`, [...(perDebtor.get(`${d.tenant_id}/${d.debtor_id}`) ?? []), d.step_key])
  if (perDebtor.size !== expected.debtors) problems.push(`${perDebtor.size} debtors have dispatches, ${expected.debtors} expected`)
  const wrongLadder = [...perDebtor].filter(([, steps]) => steps.sort().join() !== [...LADDER].sort().join())
  if (wrongLadder.length) problems.push(`${wrongLadder.length} debtor(s) without exactly one dispatch per step, e.g. ${wrongLadder[0]![0]}: ${wrongLadder[0]![1].join(', ')}`)

  const [invoices] = await query<{ n: number; done: number }>(`select count(*)::int as n, count(*) filter (where dunning_step = 6)::int as done from invoices`)
  if (invoices!.n !== expected.invoices || invoices!.done !== expected.invoices) problems.push(`${invoices!.done} of ${invoices!.n} invoices reached litigation, ${expected.invoices} expected`)
  const [items] = await query<{ n: number }>(`select count(*)::int as n from dispatch_items`)
  if (items!.n !== expected.invoices * LADDER.length) problems.push(`${items!.n} dispatch items, ${expected.invoices * LADDER.length} expected (one per invoice and step)`)

  // The letter as handed to the provider is kept, and the dispatch names it, even when the send was
  // recovered after a kill; only a kill between the provider's answer and that copy loses it.
  const [letters] = await query<{ n: number; kept: number; named: number; mismatched: number }>(`select count(*)::int as n,
      count(p.sha256)::int as kept, count(s.letter_sha256)::int as named,
      count(*) filter (where p.sha256 is not null and p.sha256 is distinct from s.letter_sha256)::int as mismatched
    from dispatches s left join dispatch_proofs p on p.tenant_id = s.tenant_id and p.dispatch_id = s.dispatch_id and p.locator = 'relance:sent-letter'
    where s.channel in ('letter', 'registered_letter', 'registered_email')`)
  if (letters!.mismatched) problems.push(`${letters!.mismatched} letter(s) whose dispatch does not name the kept copy's sha256`)
  if (letters!.named > letters!.kept) problems.push(`${letters!.named - letters!.kept} letter(s) name a sha256 with no kept copy`)
  const lettersWithoutCopy = letters!.n - letters!.kept

  const [internal] = await query<{ tasks: number; calls: number; escalated: number; escalations: number; handoffs: number }>(`select
      (select count(*)::int from tasks) as tasks, (select count(*)::int from dispatches where channel = 'call_task') as calls,
      (select count(*)::int from events where type = 'case.escalated') as escalated,
      (select count(distinct object_id)::int from events where type = 'case.escalated') as escalations,
      (select count(*)::int from dispatches where channel = 'litigation_handoff') as handoffs`)
  if (internal!.tasks !== internal!.calls) problems.push(`${internal!.tasks} call tasks for ${internal!.calls} call dispatches`)
  if (internal!.escalated !== internal!.handoffs || internal!.escalations !== internal!.handoffs) problems.push(`${internal!.escalated} case.escalated events for ${internal!.handoffs} hand-offs`)

  const events = await query<{ type: string; n: number; objects: number }>(
    `select type, count(*)::int as n, count(distinct object_id)::int as objects from events where type in ('dunning.step_due', 'dispatch.sent', 'dispatch.delivered') group by type`,
  )
  const eventsOf = (type: string) => events.find((e) => e.type === type) ?? { n: 0, objects: 0 }
  if (eventsOf('dunning.step_due').n !== dispatches.length || eventsOf('dunning.step_due').objects !== dispatches.length) {
    problems.push(`${eventsOf('dunning.step_due').n} dunning.step_due events for ${dispatches.length} dispatches`)
  }
  const sent = dispatches.filter((d) => d.status === 'sent').length
  if (eventsOf('dispatch.sent').n !== sent || eventsOf('dispatch.sent').objects !== sent) problems.push(`${eventsOf('dispatch.sent').n} dispatch.sent events for ${sent} sent dispatches`)

  const sum = (pick: (p: Outcome['providers'][keyof ProviderCounts]) => number) => Object.values(providers).reduce((n, p) => n + pick(p), 0)
  return { dispatches: dispatches.length, byChannel, providers, duplicates: sum((p) => p.duplicates), missing: sum((p) => p.missing), lettersWithoutCopy, problems }
}
