import { withSystem, type Db, type Tx } from '../../db/client.js'
import { DriverError, type ChannelDriver, type ConnectionContext } from '../channels/channel-driver.js'
import { connectionsForTenants, toContext } from '../channels/connections.service.js'
import type { DriverRegistry } from '../channels/registry.js'
import { WALL_CLOCK, type ClockScope } from '../test-clocks/clock-scope.js'
import { AcceptanceJournal } from './acceptance-journal.js'
import type { CircuitBreaker } from './circuit-breaker.js'
import { claimDispatches, type ClaimedDispatch } from './dispatch-claim.repository.js'
import { recordSendOutcomes, type SendOutcome } from './dispatch-record.js'
import type { ProofStorage } from './proof-storage.js'
import { collectProofs, keepSentLetter, keptLetterSha256 } from './proofs.js'
import { handleInternalChannel, INTERNAL_CHANNELS } from './internal-channels.js'
import type { MessageBuilder } from './message-builder.js'
import { trackedIfOptedIn } from './tracking.js'
import { fetchMaterial, type MessageMaterial } from './message-material.js'
import { sandboxConnection, type SandboxDefaults } from './sandbox-connections.js'

export interface PumpDeps {
  registry: DriverRegistry
  secretKey: Buffer
  buildMessage: MessageBuilder
  sandbox: SandboxDefaults
  batchSize?: number
  /** Provider calls in flight at once. */
  concurrency?: number
  leaseSeconds?: number
  /** One circuit per connection; without it every dispatch calls its provider. */
  breaker?: CircuitBreaker
  /** RELANCE_PUBLIC_URL: callback subscriptions and tracking links are built under it. */
  publicUrl?: string
  /** Where proof files go (RELANCE_PROOF_STORAGE); PostgreSQL when absent. */
  proofStorage?: ProofStorage
}

export interface PumpRun {
  claimed: number
  sent: number
  failed: number
  requeued: number
  cancelled: number
}

const MAX_ATTEMPTS = 6
const backoff = (attempts: number, now: Date) => new Date(now.getTime() + Math.min(3_600_000, 30_000 * 2 ** (attempts - 1)))

/** Steps answering an event (thank-you, promise, instalment) go even though the debt is paid or held. */
const isEventStep = (stepKey: string) => stepKey === 'thank_you' || stepKey.includes(':')

function base(d: ClaimedDispatch): SendOutcome {
  return {
    tenantId: d.tenant_id,
    dispatchId: d.dispatch_id,
    status: 'failed',
    rawStatus: 'failed',
    connectionId: null,
    driver: null,
    providerRef: null,
    failureCode: null,
    failureReason: null,
    content: null,
    letterSha256: null,
    cost: null,
    requeueAt: null,
  }
}

const fail = (d: ClaimedDispatch, code: string, reason: string): SendOutcome => ({ ...base(d), status: 'failed', rawStatus: code, failureCode: code, failureReason: reason })

/** The send-time re-check (DESIGN.md): what was due when queued may have been paid or put on hold since. */
function stillDue(d: ClaimedDispatch): boolean {
  if (isEventStep(d.step_key)) return true
  return d.invoices.some((i) => (i.status === 'open' || i.status === 'partially_paid') && i.amount_due > 0 && !i.held)
}

type Connections = Map<string, { context: ConnectionContext; channels: string[] }[]>

/** Reads, in the batch's material transaction, the connections of tenants this run has not met yet. */
async function loadConnections(tx: Tx, deps: PumpDeps, batch: ClaimedDispatch[], cache: Connections): Promise<void> {
  const missing = [...new Set(batch.map((d) => d.tenant_id))].filter((id) => !cache.has(id))
  for (const id of missing) cache.set(id, [])
  for (const row of await connectionsForTenants(tx, missing)) cache.get(row.tenantId)!.push({ context: toContext(row, deps.secretKey), channels: row.channels })
}

/** The tenant's first enabled connection serving the channel; a sandbox tenant falls back to the simulators. */
function resolveConnection(deps: PumpDeps, d: ClaimedDispatch, cache: Connections): ConnectionContext | null {
  const own = cache.get(d.tenant_id)?.find((c) => c.channels.includes(d.channel))?.context
  return own ?? (d.tenant_mode === 'sandbox' ? sandboxConnection(d, deps.sandbox) : null)
}

async function sendOne(db: Db, deps: PumpDeps, d: ClaimedDispatch, now: Date, cache: Connections, material: MessageMaterial, journal: AcceptanceJournal): Promise<SendOutcome> {
  if (!stillDue(d)) return { ...base(d), status: 'cancelled', rawStatus: 'no_longer_due', failureReason: 'Paid, credited, cancelled or put on hold since it was queued' }
  // Art. L100 CPCE: a consumer receives an electronic registered letter only after agreeing to.
  if (d.channel === 'registered_email' && !d.debtor.lre_consent) return fail(d, 'lre_consent_missing', 'A consumer without recorded consent cannot receive an electronic registered letter')
  const conn = resolveConnection(deps, d, cache)
  if (!conn) return fail(d, 'no_connection', `No enabled channel connection sends ${d.channel}`)
  const driver: ChannelDriver | undefined = deps.registry.get(conn.driver)
  if (!driver) return fail(d, 'unknown_driver', `Driver ${conn.driver} is not loaded`)
  const at = { connectionId: conn.connectionId.startsWith('sandbox:') ? null : conn.connectionId, driver: driver.name }
  const blocked = deps.breaker?.blockedUntil(conn.connectionId)
  if (blocked) {
    const retryAt = new Date(now.getTime() + Math.max(1_000, blocked.getTime() - Date.now()))
    return { ...fail(d, 'circuit_open', `${conn.driver} failed repeatedly: not called until ${blocked.toISOString()}`), ...at, status: 'queued', requeueAt: retryAt, notAttempted: true }
  }
  try {
    const outcome = await callProvider(db, deps, d, conn, driver, now, material, journal)
    deps.breaker?.succeeded(conn.connectionId)
    return { ...outcome, ...at }
  } catch (error) {
    if (error instanceof DriverError && error.kind === 'transient') deps.breaker?.failed(conn.connectionId)
    else deps.breaker?.succeeded(conn.connectionId) // it answered (or we failed before calling): not an outage
    if (error instanceof DriverError && error.kind === 'transient' && d.attempts < MAX_ATTEMPTS) {
      return { ...fail(d, error.providerCode ?? 'transient', error.message), ...at, status: 'queued', requeueAt: backoff(d.attempts, now) }
    }
    if (error instanceof DriverError) return { ...fail(d, error.providerCode ?? error.kind, error.message), ...at }
    return { ...fail(d, 'render_or_driver_error', (error as Error).message), ...at }
  }
}

/** Look-up after a crash or a failed attempt, render, send, first proofs. Throws what the driver throws. */
async function callProvider(db: Db, deps: PumpDeps, d: ClaimedDispatch, conn: ConnectionContext, driver: ChannelDriver, now: Date, material: MessageMaterial, journal: AcceptanceJournal): Promise<SendOutcome> {
  // The worker that claimed it died mid-send, or an earlier attempt failed after the provider may
  // have acted on it (a timeout, a connection reset, a 5xx after the fact): the provider may have it.
  if (d.resumed || d.attempts > 1) {
    const known = await driver.lookup(conn, d.dispatch_id)
    const recovered = { letterSha256: await keptLetterSha256(db, d.tenant_id, d.dispatch_id) }
    if (known) {
      if (known.proofs?.length) await collectProofs(db, conn, driver, known.proofs.map((proof) => ({ dispatchId: d.dispatch_id, proof })))
      return { ...base(d), ...recovered, status: known.status, rawStatus: known.rawStatus, providerRef: known.providerRef, cost: known.cost ?? null }
    }
    // A provider that cannot be asked accepted it, and that was written down before the worker died.
    if (d.provider_ref && d.driver === driver.name) return { ...base(d), ...recovered, status: 'sent', rawStatus: 'accepted', providerRef: d.provider_ref }
  }
  const built = await deps.buildMessage(material, d, conn, now)
  const { message, content, letterSha256 } = deps.publicUrl ? trackedIfOptedIn(d, built, deps.publicUrl, deps.secretKey) : built
  const result = await driver.send(conn, message)
  if (result.status === 'sent' || result.status === 'delivered') journal.note({ tenantId: d.tenant_id, dispatchId: d.dispatch_id, driver: driver.name, providerRef: result.providerRef })
  // The letter went: failing to keep its copy must not report it failed (letter_sha256 still names it).
  if (message.letterPdf && result.status !== 'failed') await keepSentLetter(db, d.tenant_id, d.dispatch_id, message.letterPdf, deps.proofStorage).catch(() => undefined)
  if (result.proofs?.length) await collectProofs(db, conn, driver, result.proofs.map((proof) => ({ dispatchId: d.dispatch_id, proof })), deps.proofStorage)
  return { ...base(d), status: result.status, rawStatus: result.rawStatus, providerRef: result.providerRef, content, letterSha256, cost: result.cost ?? null }
}

/**
 * The `dispatch.pump` job: claims due dispatches in batches (SKIP LOCKED), re-checks each is still
 * due, renders and sends it through its connection's driver (a bounded number at once), and
 * records the batch's results in one transaction. Call tasks and litigation hand-offs are done
 * inside Relance, in that same transaction.
 */
export async function runDispatchPump(db: Db, deps: PumpDeps, now = new Date(), scope: ClockScope = WALL_CLOCK): Promise<PumpRun> {
  const run: PumpRun = { claimed: 0, sent: 0, failed: 0, requeued: 0, cancelled: 0 }
  const cache: Connections = new Map()
  const claim = (exclude: string[]) =>
    settle(withSystem(db, (tx) => claimDispatches(tx, now, deps.batchSize ?? 500, scope, deps.leaseSeconds ?? 300, exclude)))
  // A pipeline: the next batch is claimed while this one is sent, and a batch is recorded while
  // the next one is sent. Rows still in flight here are excluded from the claims, so even a
  // zero lease never hands this process its own batch twice.
  let recording: Promise<Settled<void>> = Promise.resolve({ ok: undefined })
  let recordingIds: string[] = []
  let next = claim([])
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const claimed = unwrap(await next)
    if (!claimed.length) break
    const ids = claimed.map((d) => d.dispatch_id)
    next = round + 1 < MAX_ROUNDS ? claim([...ids, ...recordingIds]) : Promise.resolve({ ok: [] })
    const outcomes = await sendBatch(db, deps, claimed, now, cache)
    unwrap(await recording)
    recordingIds = ids
    recording = settle(recordBatch(db, deps, claimed, outcomes, now).then(() => tally(run, claimed, outcomes)))
  }
  unwrap(await recording)
  return run
}

const MAX_ROUNDS = 1000

type Settled<T> = { ok: T } | { error: unknown }
/** A promise awaited later must not reject unobserved in the meantime (Node would exit). */
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> => promise.then((ok) => ({ ok }), (error: unknown) => ({ error }))
function unwrap<T>(settled: Settled<T>): T {
  if ('error' in settled) throw settled.error
  return settled.ok
}

async function sendBatch(db: Db, deps: PumpDeps, claimed: ClaimedDispatch[], now: Date, cache: Connections): Promise<SendOutcome[]> {
  const external = claimed.filter((d) => !INTERNAL_CHANNELS.includes(d.channel))
  const outcomes: SendOutcome[] = []
  const material = await withSystem(db, async (tx) => {
    await loadConnections(tx, deps, external, cache)
    return fetchMaterial(tx, external.filter(stillDue))
  })
  const queue = [...external]
  const journal = new AcceptanceJournal(db)
  const workers = Array.from({ length: Math.min(deps.concurrency ?? 32, queue.length) }, async () => {
    for (let d = queue.shift(); d; d = queue.shift()) outcomes.push(await sendOne(db, deps, d, now, cache, material, journal))
  })
  await Promise.all(workers)
  await journal.drain()
  return outcomes
}

/** Call tasks and litigation hand-offs happen inside the batch's record transaction: no provider involved. */
async function recordBatch(db: Db, deps: PumpDeps, claimed: ClaimedDispatch[], outcomes: SendOutcome[], now: Date): Promise<void> {
  await withSystem(db, async (tx) => {
    for (const d of claimed.filter((c) => INTERNAL_CHANNELS.includes(c.channel))) {
      outcomes.push(stillDue(d) ? await handleInternalChannel(tx, d, base(d), deps.buildMessage, now) : { ...base(d), status: 'cancelled', rawStatus: 'no_longer_due' })
    }
    await recordSendOutcomes(tx, outcomes, now)
  })
}

function tally(run: PumpRun, claimed: ClaimedDispatch[], outcomes: SendOutcome[]): void {
  run.claimed += claimed.length
  for (const o of outcomes) {
    if (o.requeueAt) run.requeued++
    else if (o.status === 'failed') run.failed++
    else if (o.status === 'cancelled') run.cancelled++
    else run.sent++
  }
}
