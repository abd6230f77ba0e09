import type { Dispatcher } from 'undici'
import { withSystem, type Db } from '../../db/client.js'
import { newId } from '../../shared/ids.js'
import { unseal } from '../../shared/secret-box.js'
import { applyEndpointHealth } from './endpoint-health.js'
import { claimDueDeliveries, fanOutQueuedEvents, recordAttempts, type AttemptRecord, type DueDelivery } from './pump.repository.js'
import { retryDelayMs, RETRY_SCHEDULE_MS } from './retry-schedule.js'
import { sendWebhook, type AttemptResult } from './send-webhook.js'
import { currentSigner } from './signing-keys.js'
import { detachedJws, secretBytes, signedContent, standardSignature, type JwsSigner } from './signatures.js'

export interface PumpOptions {
  secretKey: Buffer
  /** The guarded undici Agent (guarded-agent.ts): the SSRF check at connect time lives there. */
  dispatcher: Dispatcher
  batchSize?: number
  /** Attempts in flight at once per endpoint; each endpoint's deliveries start in creation order. */
  perEndpointConcurrency?: number
  timeoutMs?: number
  /** How long a claimed delivery is reserved; a worker dying mid-attempt delays it this much. */
  leaseMs?: number
  /** Claim-deliver rounds in one call at most; each round handles up to batchSize deliveries. */
  maxRounds?: number
  /** Jitter source (tests pin it to 0.5 for the exact schedule). */
  random?: () => number
}

export interface PumpRun {
  events: number
  deliveriesCreated: number
  attempted: number
  succeeded: number
  failed: number
  disabled: number
}

const unsealed = new Map<string, Buffer>()

function secretsOf(d: DueDelivery, key: Buffer, now: Date): Buffer[] {
  const open = (sealed: string) => {
    let bytes = unsealed.get(sealed)
    if (!bytes) {
      if (unsealed.size > 10_000) unsealed.clear()
      bytes = secretBytes(unseal(key, sealed))
      unsealed.set(sealed, bytes)
    }
    return bytes
  }
  const overlap = d.previous_secret_sealed && d.previous_secret_expires_at && d.previous_secret_expires_at > now
  return overlap ? [open(d.secret_sealed), open(d.previous_secret_sealed!)] : [open(d.secret_sealed)]
}

/** The delivery body (CONVENTIONS.md); rebuilt identically on every retry from the stored event. */
export function eventBody(d: Pick<DueDelivery, 'event_id' | 'type' | 'event_created_at' | 'tenant_id' | 'data'>): string {
  return JSON.stringify({ id: d.event_id, type: d.type, created_at: d.event_created_at.toISOString(), tenant_id: d.tenant_id, data: d.data })
}

async function attempt(d: DueDelivery, signer: JwsSigner, now: Date, options: Required<PumpOptions>): Promise<AttemptResult> {
  const timestamp = Math.floor(now.getTime() / 1000)
  const body = eventBody(d)
  const content = signedContent(d.event_id, timestamp, body)
  const signature = standardSignature(secretsOf(d, options.secretKey, now), content)
  const jws = detachedJws(signer, content)
  return sendWebhook(options.dispatcher, { url: d.url, webhookId: d.event_id, timestamp, body, signature, jws }, options.timeoutMs)
}

/** Runs each endpoint's deliveries in order, at most `lanes` at a time per endpoint. */
async function deliverAll(due: DueDelivery[], lanes: number, send: (d: DueDelivery) => Promise<AttemptResult>): Promise<AttemptResult[]> {
  const results: AttemptResult[] = new Array(due.length)
  const byEndpoint = new Map<string, number[]>()
  due.forEach((d, i) => byEndpoint.set(d.endpoint_id, [...(byEndpoint.get(d.endpoint_id) ?? []), i]))
  await Promise.all(
    [...byEndpoint.values()].map(async (queue) => {
      let next = 0
      const lane = async () => {
        while (next < queue.length) {
          const i = queue[next++]!
          results[i] = await send(due[i]!)
        }
      }
      await Promise.all(Array.from({ length: Math.min(lanes, queue.length) }, lane))
    }),
  )
  return results
}

function toRecord(d: DueDelivery, r: AttemptResult, now: Date, random: () => number): AttemptRecord {
  const nextStep = d.retry_step + 1
  const delay = r.succeeded || r.statusCode === 410 ? null : retryDelayMs(nextStep, random, r.retryAfterMs)
  const status = r.succeeded ? 'succeeded' : delay === null ? 'failed' : 'pending'
  return {
    tenant_id: d.tenant_id,
    attempt_id: newId('webhookAttempt', now.getTime()),
    delivery_id: d.delivery_id,
    endpoint_id: d.endpoint_id,
    event_id: d.event_id,
    event_type: d.type,
    attempt: d.attempts,
    succeeded: r.succeeded,
    status_code: r.statusCode,
    latency_ms: r.latencyMs,
    response_body: r.responseBody,
    error: r.error,
    status,
    retry_step: status === 'pending' ? nextStep : Math.min(nextStep, RETRY_SCHEDULE_MS.length),
    next_attempt_at: delay === null ? null : new Date(now.getTime() + delay).toISOString(),
  }
}

/**
 * One pass of the webhooks pump as of `now`: fan queued events out to deliveries, then claim the
 * deliveries due at `now`, sign and send them, and record the outcomes, until nothing is due or
 * maxRounds. Safe to run on several workers at once (SKIP LOCKED everywhere). Tests pass a `now`
 * ahead of the wall clock to walk the retry schedule.
 */
export async function runWebhookPump(db: Db, now: Date, opts: PumpOptions): Promise<PumpRun> {
  const options: Required<PumpOptions> = {
    batchSize: 500,
    perEndpointConcurrency: 16,
    timeoutMs: 15_000,
    leaseMs: 60_000,
    maxRounds: 20,
    random: Math.random,
    ...opts,
  }
  const run: PumpRun = { events: 0, deliveriesCreated: 0, attempted: 0, succeeded: 0, failed: 0, disabled: 0 }
  let signer: JwsSigner | undefined
  for (let round = 0; round < options.maxRounds; round++) {
    const fanned = await withSystem(db, (tx) => fanOutQueuedEvents(tx, now, options.batchSize))
    run.events += fanned.events
    run.deliveriesCreated += fanned.deliveries
    const due = await withSystem(db, (tx) => claimDueDeliveries(tx, now, options.batchSize, options.leaseMs))
    if (!due.length) {
      if (fanned.events) continue
      break
    }
    signer ??= await currentSigner(db, options.secretKey, now)
    const active = signer
    const results = await deliverAll(due, options.perEndpointConcurrency, (d) => attempt(d, active, now, options))
    const records = due.map((d, i) => toRecord(d, results[i]!, now, options.random))
    run.disabled += await withSystem(db, async (tx) => {
      await recordAttempts(tx, now, records)
      const outcomes = records.map((r) => ({ tenantId: r.tenant_id, endpointId: r.endpoint_id, succeeded: r.succeeded, gone: r.status_code === 410 }))
      return applyEndpointHealth(tx, now, outcomes)
    })
    run.attempted += records.length
    run.succeeded += records.filter((r) => r.succeeded).length
    run.failed += records.filter((r) => !r.succeeded).length
  }
  return run
}
