import { sql } from 'drizzle-orm'
import { withSystem, withTenant, type Db } from '../../db/client.js'
import type { Channel } from '../engine/scenario-definition.js'
import type { ConnectionContext, ProviderEvent } from '../channels/channel-driver.js'
import { findConnectionById, toContext } from '../channels/connections.service.js'
import { WALL_CLOCK, clockScopeFilter, type ClockScope } from '../test-clocks/clock-scope.js'
import { applyProviderEvents } from './dispatch-record.js'
import { collectProofs, type PendingProof } from './proofs.js'
import type { PumpDeps } from './pump.js'
import { sandboxConnection } from './sandbox-connections.js'

/** Drivers with nothing to ask afterwards: SMTP and SMS gateways report nothing, capture is immediate. */
const NOTHING_TO_POLL = ['capture', 'email-smtp', 'sms-http', 'relance']

export interface PollOptions {
  batchSize?: number
  /** Simple letters get no delivery callback at all: asked this often. */
  letterEveryMinutes?: number
  /** Anything else still 'sent' this long after its last news: a callback may have been lost. */
  silentAfterMinutes?: number
}

export interface PollRun {
  polled: number
  changed: number
  proofs: number
  errors: number
}

type Candidate = { tenant_id: string; dispatch_id: string; channel: Channel; driver: string; connection_id: string | null; provider_ref: string; tenant_name: string; tenant_mode: 'sandbox' | 'live' }

async function claimCandidates(db: Db, now: Date, scope: ClockScope, options: Required<PollOptions>): Promise<Candidate[]> {
  // Claiming = stamping polled_at in the same statement, so two workers never ask twice at once.
  const rows = await withSystem(db, (tx) =>
    tx.execute<Candidate>(sql`
      with picked as (
        select s.tenant_id, s.dispatch_id from dispatches s
        where s.status = 'sent' and s.provider_ref is not null and s.driver <> all(${sql.param(NOTHING_TO_POLL)}::text[])
          and coalesce(s.polled_at, s.updated_at) < ${now.toISOString()}::timestamptz - make_interval(mins =>
                case when s.channel = 'letter' then ${options.letterEveryMinutes}::int else ${options.silentAfterMinutes}::int end)
          and ${clockScopeFilter(scope, sql`s.tenant_id`)}
        order by s.polled_at nulls first limit ${options.batchSize}
        for update of s skip locked)
      update dispatches s set polled_at = ${now.toISOString()}::timestamptz
      from picked p, tenants t where s.tenant_id = p.tenant_id and s.dispatch_id = p.dispatch_id and t.tenant_id = s.tenant_id
      returning s.tenant_id, s.dispatch_id, s.channel, s.driver, s.connection_id, s.provider_ref, t.name as tenant_name, t.mode as tenant_mode`),
  )
  return rows.rows
}

async function contextFor(db: Db, deps: PumpDeps, c: Candidate, cache: Map<string, ConnectionContext | null>): Promise<ConnectionContext | null> {
  const key = c.connection_id ?? `sandbox:${c.tenant_id}:${c.channel}`
  if (!cache.has(key)) {
    if (c.connection_id) {
      const row = await withSystem(db, (tx) => findConnectionById(tx, c.connection_id!))
      cache.set(key, row ? toContext(row, deps.secretKey) : null)
    } else {
      cache.set(key, c.tenant_mode === 'sandbox' ? sandboxConnection({ tenant_id: c.tenant_id, tenant_name: c.tenant_name, channel: c.channel }, deps.sandbox) : null)
    }
  }
  return cache.get(key) ?? null
}

/**
 * The `proofs.poll` job: asks the provider about dispatches still 'sent' that no callback will
 * settle (simple letters: Maileva has no event for their delivery codes) or whose callback seems
 * lost, applies what it says exactly as a callback would, and downloads the proofs it names.
 */
export async function pollProviders(db: Db, deps: PumpDeps, now = new Date(), scope: ClockScope = WALL_CLOCK, options: PollOptions = {}): Promise<PollRun> {
  const settings: Required<PollOptions> = { batchSize: 200, letterEveryMinutes: 60, silentAfterMinutes: 360, ...options }
  const run: PollRun = { polled: 0, changed: 0, proofs: 0, errors: 0 }
  const cache = new Map<string, ConnectionContext | null>()
  const candidates = await claimCandidates(db, now, scope, settings)
  const results: { c: Candidate; conn: ConnectionContext; events: ProviderEvent[] }[] = []
  const queue = [...candidates]
  await Promise.all(
    Array.from({ length: Math.min(deps.concurrency ?? 32, queue.length) }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const conn = await contextFor(db, deps, c, cache)
        const driver = conn && deps.registry.get(c.driver)
        if (!conn || !driver) continue
        try {
          results.push({ c, conn, events: await driver.poll(conn, c.provider_ref) })
          run.polled++
        } catch {
          run.errors++ // asked again at the next interval
        }
      }
    }),
  )
  for (const tenantId of new Set(results.map((r) => r.c.tenant_id))) {
    const mine = results.filter((r) => r.c.tenant_id === tenantId)
    for (const driverName of new Set(mine.map((r) => r.c.driver))) {
      const group = mine.filter((r) => r.c.driver === driverName)
      // Our dispatch id goes with each event: a provider ref alone is unique per driver and tenant only.
      const events = group.flatMap((r) => r.events.map((e) => ({ ...e, dispatchId: r.c.dispatch_id })))
      run.changed += (await withTenant(db, tenantId, (tx) => applyProviderEvents(tx, tenantId, driverName, events))).length
      const driver = deps.registry.get(driverName)!
      for (const r of group) {
        const pending: PendingProof[] = r.events.flatMap((e) => (e.proofs ?? []).map((proof) => ({ dispatchId: r.c.dispatch_id, proof })))
        run.proofs += await collectProofs(db, r.conn, driver, pending, deps.proofStorage)
      }
    }
  }
  return run
}
