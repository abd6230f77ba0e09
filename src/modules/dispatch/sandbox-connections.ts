import type { ConnectionContext } from '../channels/channel-driver.js'
import type { ClaimedDispatch } from './dispatch-claim.repository.js'

/** Where a sandbox tenant's registered mail goes when it set up no connection: the simulators. */
export interface SandboxDefaults {
  ar24Url?: string
  printMailUrl?: string
}

// The simulators accept these (scripts/sandbox.ts prints the same); nothing real is behind them.
const AR24_SANDBOX_CREDENTIALS = { token: 'sandbox-token', private_key: 'sandbox-private-key', user_id: '1' }
const PRINT_MAIL_SANDBOX_CREDENTIALS = { client_id: 'sandbox', client_secret: 'sandbox', username: 'sandbox', password: 'sandbox' }

/**
 * A sandbox tenant needs no provider account to play a scenario: registered mail goes to the
 * simulators when their URLs are configured, and email, SMS and simple letters are captured
 * (kept as rendered on the dispatch, reported delivered). A live tenant gets none of this.
 */
export function sandboxConnection(d: ClaimedDispatch, defaults: SandboxDefaults): ConnectionContext | null {
  const common = { tenantId: d.tenant_id, mode: 'sandbox' as const, sender: { name: d.tenant_name } }
  if (d.channel === 'registered_email' && defaults.ar24Url) {
    return { ...common, connectionId: 'sandbox:ar24', driver: 'ar24', credentials: AR24_SANDBOX_CREDENTIALS, settings: { base_url: defaults.ar24Url } }
  }
  if (d.channel === 'registered_letter' && defaults.printMailUrl) {
    return { ...common, connectionId: 'sandbox:print-mail', driver: 'print-mail', credentials: PRINT_MAIL_SANDBOX_CREDENTIALS, settings: { base_url: defaults.printMailUrl } }
  }
  if (d.channel === 'email' || d.channel === 'sms' || d.channel === 'letter' || d.channel === 'registered_email' || d.channel === 'registered_letter') {
    return { ...common, connectionId: 'sandbox:capture', driver: 'capture', credentials: {}, settings: {} }
  }
  return null
}
