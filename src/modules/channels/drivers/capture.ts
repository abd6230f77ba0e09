import type { ChannelDriver, ConnectionContext, FetchedProof, OutgoingMessage, ProofRef, SendResult } from '../channel-driver.js'
import { DriverError } from '../channel-driver.js'

/**
 * Sends nothing: the message is kept as rendered on the dispatch and reported delivered. Sandbox
 * tenants without an email or SMS connection use it, so a test clock can play a whole scenario
 * with no provider at all; a live tenant never gets it by default.
 */
export class CaptureDriver implements ChannelDriver {
  readonly name = 'capture'
  readonly channels = ['email', 'sms', 'letter'] as const

  async send(_conn: ConnectionContext, message: OutgoingMessage): Promise<SendResult> {
    return { providerRef: `capture_${message.dispatchId}`, status: 'delivered', rawStatus: 'captured' }
  }

  async lookup(): Promise<SendResult | null> {
    return null
  }

  async parseCallback(): Promise<never> {
    throw new DriverError('rejected', 'The capture driver takes no callbacks')
  }

  async poll() {
    return []
  }

  async fetchProof(_conn: ConnectionContext, proof: ProofRef): Promise<FetchedProof> {
    throw new DriverError('rejected', `The capture driver keeps no proof (${proof.kind})`)
  }
}
