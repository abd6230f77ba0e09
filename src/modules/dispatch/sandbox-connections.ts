import type { ConnectionContext } from '../channels/channel-driver.js'
import { AR24_SANDBOX_DEFAULTS } from '../../sandbox/ar24-simulator.js'
import { PRINT_MAIL_SANDBOX_DEFAULTS } from '../../sandbox/print-mail-simulator.js'
import type { ClaimedDispatch } from './dispatch-claim.repository.js'

/** Where a sandbox tenant's registered mail goes when it set up no connection: the simulators. */
export interface SandboxDefaults {
  /** The AR24 simulator's API URL. */
  ar24Url?: string
  /** The print-mail simulator's API and OAuth token URLs. */
  printMailApiUrl?: string
  printMailAuthUrl?: string
}

// The simulators' own defaults (scripts/sandbox.ts prints the same); nothing real is behind them.
const AR24_SANDBOX_CREDENTIALS = { token: AR24_SANDBOX_DEFAULTS.token, private_key: AR24_SANDBOX_DEFAULTS.privateKey, user_id: AR24_SANDBOX_DEFAULTS.user.id }
const PM = PRINT_MAIL_SANDBOX_DEFAULTS
const PRINT_MAIL_SANDBOX_CREDENTIALS = {
  client_id: PM.clientId,
  client_secret: PM.clientSecret,
  username: PM.username,
  password: PM.password,
  callback_login: PM.callbackAuth.login,
  callback_password: PM.callbackAuth.password,
}

/**
 * A sandbox tenant needs no provider account to play a scenario: registered mail goes to the
 * simulators when their URLs are configured, and email, SMS and simple letters are captured
 * (kept as rendered on the dispatch, reported delivered). A live tenant gets none of this.
 */
export function sandboxConnection(d: Pick<ClaimedDispatch, 'tenant_id' | 'tenant_name' | 'channel'>, defaults: SandboxDefaults): ConnectionContext | null {
  const common = { tenantId: d.tenant_id, mode: 'sandbox' as const, sender: { name: d.tenant_name } }
  if (d.channel === 'registered_email' && defaults.ar24Url) {
    return { ...common, connectionId: 'sandbox:ar24', driver: 'ar24', credentials: AR24_SANDBOX_CREDENTIALS, settings: { base_url: defaults.ar24Url } }
  }
  if ((d.channel === 'registered_letter' || d.channel === 'letter') && defaults.printMailApiUrl) {
    const settings = { api_url: defaults.printMailApiUrl, auth_url: defaults.printMailAuthUrl }
    return { ...common, connectionId: 'sandbox:print-mail', driver: 'print-mail', credentials: PRINT_MAIL_SANDBOX_CREDENTIALS, settings }
  }
  if (d.channel === 'email' || d.channel === 'sms' || d.channel === 'letter' || d.channel === 'registered_email' || d.channel === 'registered_letter') {
    return { ...common, connectionId: 'sandbox:capture', driver: 'capture', credentials: {}, settings: {} }
  }
  return null
}
