import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { newId } from '../../shared/ids.js'
import type { Channel } from '../engine/scenario-definition.js'
import { emitEvents } from '../events/events.service.js'
import { insertHold } from '../holds/holds.repository.js'
import { toHoldDto } from '../holds/holds.service.js'
import { createCallTask } from '../tasks/tasks.service.js'
import type { ClaimedDispatch } from './dispatch-claim.repository.js'
import type { SendOutcome } from './dispatch-record.js'
import type { MessageBuilder } from './message-builder.js'

/** Channels Relance carries out itself, inside the batch's transaction: no provider involved. */
export const INTERNAL_CHANNELS: readonly Channel[] = ['call_task', 'litigation_handoff']

/** What a lawyer or agency needs to take over: the debt, the debtor, and every contact with its proofs. */
async function dossier(tx: Tx, d: ClaimedDispatch) {
  const history = await tx.execute<{ dispatches: unknown }>(sql`
    select coalesce(json_agg(json_build_object('id', s.dispatch_id, 'step_key', s.step_key, 'channel', s.channel,
      'status', s.status, 'sent_at', s.sent_at, 'provider_ref', s.provider_ref,
      'proofs', (select coalesce(json_agg(json_build_object('id', p.proof_id, 'kind', p.kind, 'sha256', p.sha256)), '[]')
                 from dispatch_proofs p where p.tenant_id = s.tenant_id and p.dispatch_id = s.dispatch_id))
      order by s.scheduled_at), '[]') as dispatches
    from dispatches s where s.tenant_id = ${d.tenant_id} and s.debtor_id = ${d.debtor_id} and s.dispatch_id <> ${d.dispatch_id}`)
  return {
    object: 'case',
    dispatch_id: d.dispatch_id,
    debtor_id: d.debtor_id,
    debtor: d.debtor,
    invoices: d.invoices,
    totals: Object.entries(
      d.invoices.reduce<Record<string, number>>((acc, i) => ({ ...acc, [i.currency]: (acc[i.currency] ?? 0) + Number(i.amount_due) }), {}),
    ).map(([currency, amount_due]) => ({ currency, amount_due })),
    dispatches: history.rows[0]?.dispatches ?? [],
  }
}

/**
 * A litigation hand-off freezes the case: a legal hold on each invoice stops the engine (released
 * by hand if the debt comes back), and case.escalated carries the dossier.
 */
async function escalate(tx: Tx, d: ClaimedDispatch, outcome: SendOutcome): Promise<SendOutcome> {
  const holds = []
  for (const invoice of d.invoices.filter((i) => i.status === 'open' || i.status === 'partially_paid')) {
    const row = await insertHold(tx, {
      tenantId: d.tenant_id,
      holdId: newId('hold'),
      kind: 'legal',
      debtorId: d.debtor_id,
      invoiceId: invoice.invoice_id,
      note: `Handed off to litigation (dispatch ${d.dispatch_id})`,
      metadata: {},
    })
    holds.push(toHoldDto(row))
  }
  await emitEvents(tx, d.tenant_id, [
    { type: 'case.escalated', objectId: d.dispatch_id, object: { ...(await dossier(tx, d)), hold_ids: holds.map((h) => h.id) } },
    ...holds.map((h) => ({ type: 'hold.created' as const, objectId: h.id, object: h })),
  ])
  return { ...outcome, status: 'delivered', rawStatus: 'escalated', driver: 'relance' }
}

export async function handleInternalChannel(tx: Tx, d: ClaimedDispatch, outcome: SendOutcome, build: MessageBuilder, now: Date): Promise<SendOutcome> {
  if (d.channel === 'litigation_handoff') return escalate(tx, d, outcome)
  const { content } = await build(tx, d, { sender: { name: d.tenant_name } }, now)
  const task = await createCallTask(tx, d, String(content.text ?? ''))
  return { ...outcome, status: 'sent', rawStatus: 'task_created', driver: 'relance', providerRef: task.id, content }
}
