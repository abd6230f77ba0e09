import { sql } from 'drizzle-orm'
import { withSystem, withTenant, type Db } from '../../db/client.js'
import { AppError } from '../../shared/errors.js'
import { DriverError, type CallbackResult, type ConnectionContext, type IncomingCallback } from '../channels/channel-driver.js'
import { findConnectionById, toContext } from '../channels/connections.service.js'
import { applyProviderEvents } from './dispatch-record.js'
import { collectProofs } from './proofs.js'
import type { PumpDeps } from './pump.js'
import { sandboxConnection } from './sandbox-connections.js'

/** A sandbox connection stands for every sandbox tenant: the dispatch found names the tenant. */
function sandboxContext(deps: PumpDeps, driver: string): ConnectionContext | null {
  const channel = driver === 'ar24' ? 'registered_email' : driver === 'print-mail' ? 'registered_letter' : null
  if (!channel) return null
  return sandboxConnection({ tenant_id: '', tenant_name: 'Relance sandbox', channel }, deps.sandbox)
}

/**
 * A provider's callback: the driver authenticates and reads it (re-fetching from the provider
 * where the callback itself proves nothing), events are applied once each, proofs downloaded.
 * `connectionId` is a tenant's connection, or `sandbox-<driver>` for the simulators.
 */
export async function handleCallback(db: Db, deps: PumpDeps, connectionId: string, incoming: IncomingCallback): Promise<CallbackResult['reply']> {
  const sandboxDriver = connectionId.startsWith('sandbox-') ? connectionId.slice('sandbox-'.length) : null
  const row = sandboxDriver ? undefined : await withSystem(db, (tx) => findConnectionById(tx, connectionId))
  const conn = sandboxDriver ? sandboxContext(deps, sandboxDriver) : row ? toContext(row, deps.secretKey) : null
  const driver = conn && deps.registry.get(conn.driver)
  if (!conn || !driver) throw new AppError('not_found', `No channel connection ${connectionId}`)
  let result: CallbackResult
  try {
    result = await driver.parseCallback(conn, incoming)
  } catch (error) {
    if (error instanceof DriverError && error.kind === 'unauthorized') throw new AppError('unauthenticated', 'The callback did not authenticate')
    throw error
  }
  const refs = result.events.map((e) => e.providerRef)
  const ids = result.events.flatMap((e) => (e.dispatchId ? [e.dispatchId] : []))
  const found = await withSystem(db, (tx) =>
    tx.execute<{ tenant_id: string; dispatch_id: string; provider_ref: string | null; status: string }>(sql`
      select tenant_id, dispatch_id, provider_ref, status from dispatches
      where ((driver = ${driver.name} and provider_ref = any(${sql.param(refs)}::text[]))
          or (provider_ref is null and dispatch_id = any(${sql.param(ids)}::text[])))
        ${row ? sql`and tenant_id = ${row.tenantId}` : sql`and tenant_id in (select tenant_id from tenants where mode = 'sandbox')`}`),
  )
  // The provider calls back before we recorded the send (our batch commits after the provider
  // answered, or the answer was lost and the send waits for a retry): applying the news now would
  // race that record, and dropping it would lose the news. Both providers retry a callback that
  // is not accepted (AR24 every 15 min, Maileva from 10 min), by which time the send is recorded.
  if (found.rows.some((o) => o.status === 'sending' || o.status === 'queued')) {
    throw new AppError('service_unavailable', 'The send this callback is about is not recorded yet: call again later')
  }
  const owners = found.rows.filter((o) => o.provider_ref !== null)
  for (const tenantId of new Set(owners.map((o) => o.tenant_id))) {
    const mine = owners.filter((o) => o.tenant_id === tenantId)
    const events = result.events.filter((e) => mine.some((o) => o.provider_ref === e.providerRef))
    await withTenant(db, tenantId, (tx) => applyProviderEvents(tx, tenantId, driver.name, events))
    const pending = events.flatMap((e) => (e.proofs ?? []).map((proof) => ({ dispatchId: mine.find((o) => o.provider_ref === e.providerRef)!.dispatch_id, proof })))
    await collectProofs(db, { ...conn, tenantId }, driver, pending, deps.proofStorage)
  }
  return result.reply
}
