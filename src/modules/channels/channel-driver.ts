/**
 * The contract between the dispatch loop and a channel provider. A driver speaks one provider's
 * real protocol; the dispatch loop never knows which. Drivers hold no state between calls: the
 * connection (credentials decrypted, settings, sender) is passed in every time.
 */
import type { Channel } from '../engine/scenario-definition.js'

export const DELIVERY_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'refused',
  'not_claimed',
  'undelivered',
  'bounced',
  'failed',
  'cancelled',
] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** Statuses after which nothing more will happen to a dispatch. */
export const FINAL_STATUSES: readonly DeliveryStatus[] = ['delivered', 'refused', 'not_claimed', 'undelivered', 'bounced', 'failed', 'cancelled']

export interface SenderIdentity {
  name: string
  email?: string
  phone?: string
  /** Up to 6 lines, French postal norm (NF Z10-011), the last ones being postcode + city and country. */
  postalAddress?: PostalAddress
  registrationId?: string
}

export interface PostalAddress {
  lines: string[]
  postcode: string
  city: string
  country: string
}

export interface Recipient {
  name: string
  kind: 'business' | 'consumer' | 'public_body'
  email?: string
  phone?: string
  postalAddress?: PostalAddress
  language: string
}

export interface Attachment {
  filename: string
  contentType: string
  content: Buffer
}

/** What the dispatch loop hands a driver: rendered, ready to go. */
export interface OutgoingMessage {
  /** Our dispatch id: the provider-side reference and idempotency key (custom_id, ref, Message-ID seed). */
  dispatchId: string
  tenantId: string
  channel: Channel
  recipient: Recipient
  subject: string
  html?: string
  text?: string
  /** Letters and registered mail: the rendered letter with the invoice PDFs appended. */
  letterPdf?: Buffer
  attachments: Attachment[]
}

export interface ConnectionContext {
  connectionId: string
  tenantId: string
  driver: string
  mode: 'sandbox' | 'live'
  /** Decrypted credentials; never logged. */
  credentials: Record<string, string>
  /** Non-secret settings: base URLs, options. */
  settings: Record<string, unknown>
  sender: SenderIdentity
}

export interface Money {
  amount: number
  currency: string
}

export interface SendResult {
  providerRef: string
  status: DeliveryStatus
  rawStatus: string
  cost?: Money
  proofs?: ProofRef[]
}

export type ProofKind =
  | 'deposit'
  | 'sending'
  | 'receipt'
  | 'refusal'
  | 'negligence'
  | 'undelivered'
  | 'scanned_ar'
  | 'content'

/** Where a proof can be fetched from; the driver alone knows how to read `locator`. */
export interface ProofRef {
  kind: ProofKind
  locator: string
  filename?: string
}

export interface ProviderEvent {
  providerRef: string
  /** Our dispatch id, when the provider echoes it. */
  dispatchId?: string
  /** null when the provider's status does not change ours (informational steps). */
  status: DeliveryStatus | null
  rawStatus: string
  occurredAt: Date
  /** Why it was not delivered: a provider code such as A23 or a bounce message. */
  reason?: string
  proofs?: ProofRef[]
}

export interface IncomingCallback {
  headers: Record<string, string | string[] | undefined>
  query: Record<string, string | undefined>
  /** Raw body bytes, as received. */
  body: Buffer
}

export interface CallbackResult {
  events: ProviderEvent[]
  /** What to answer the provider (AR24 wants 200, Maileva 201). */
  reply: { statusCode: number; body?: unknown }
}

export interface FetchedProof {
  filename: string
  contentType: string
  content: Buffer
}

export interface ChannelDriver {
  readonly name: string
  readonly channels: readonly Channel[]
  send(conn: ConnectionContext, message: OutgoingMessage): Promise<SendResult>
  /** Look our dispatch id up at the provider before any re-send (crash between call and commit). */
  lookup(conn: ConnectionContext, dispatchId: string): Promise<SendResult | null>
  /** Throws DriverError('unauthorized') when the callback does not authenticate. */
  parseCallback(conn: ConnectionContext, callback: IncomingCallback): Promise<CallbackResult>
  poll(conn: ConnectionContext, providerRef: string): Promise<ProviderEvent[]>
  fetchProof(conn: ConnectionContext, proof: ProofRef): Promise<FetchedProof>
}

/**
 * `transient`: transport error, timeout, 5xx, maintenance: retry with backoff.
 * `rejected`: the provider refused the request (4xx, ERROR slug): fail the dispatch, show `providerCode`.
 * `unauthorized`: a callback that does not authenticate.
 */
export class DriverError extends Error {
  constructor(
    readonly kind: 'transient' | 'rejected' | 'unauthorized',
    message: string,
    readonly providerCode?: string,
    readonly httpStatus?: number,
  ) {
    super(message)
    this.name = 'DriverError'
  }
}
