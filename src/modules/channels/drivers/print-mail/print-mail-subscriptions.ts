/**
 * Registers Relance's callback URL at the notification center, with the Basic credentials the
 * provider must present back. Call once when a print-mail connection is created or its URL changes.
 */
import type { ConnectionContext } from '../../channel-driver.js'
import { mailevaJson } from './print-mail-client.js'

const SENDING_EVENTS = ['ON_STATUS_ACCEPTED', 'ON_STATUS_REJECTED', 'ON_STATUS_PROCESSED']

export const PRINT_MAIL_SUBSCRIPTIONS: { event_type: string; resource_type: string }[] = [
  ...SENDING_EVENTS.map((event_type) => ({ event_type, resource_type: 'mail/v2/sendings' })),
  ...[...SENDING_EVENTS, 'ON_DEPOSIT_PROOF_RECEIVED'].map((event_type) => ({ event_type, resource_type: 'registered_mail/v2/sendings' })),
  { event_type: 'ON_ACKNOWLEDGEMENT_OF_RECEIPT_RECEIVED', resource_type: 'registered_mail/v2/recipients' },
]

export async function subscribePrintMailCallbacks(conn: ConnectionContext, callbackUrl: string): Promise<string[]> {
  const authentication = { basic: { login: conn.credentials.callback_login, password: conn.credentials.callback_password } }
  const ids: string[] = []
  for (const subscription of PRINT_MAIL_SUBSCRIPTIONS) {
    const created = await mailevaJson<{ id: string }>(conn, 'POST', 'notification_center/v2/subscriptions', {
      json: { ...subscription, callback_url: callbackUrl, authentication },
    })
    ids.push(created.id)
  }
  return ids
}
