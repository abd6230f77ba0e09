import { isIP } from 'node:net'
import { AppError } from '../../shared/errors.js'
import type { AddressPolicy } from './address-policy.js'
import { systemResolve, type ResolveAll } from './guarded-agent.js'

const refuse = (path: string, message: string) =>
  new AppError('validation_failed', `The webhook URL is refused: ${message}.`, [{ path, message }])

/**
 * The check at creation (and on a URL change): a readable 400 naming `url` before anything is
 * stored. The connect-time check in guarded-agent.ts is what actually holds; this one is for the
 * caller's benefit.
 */
export async function checkEndpointUrl(
  raw: string,
  policy: AddressPolicy,
  options: { requireHttps: boolean; resolve?: ResolveAll; path?: string },
): Promise<string> {
  const path = options.path ?? 'body.url'
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw refuse(path, 'not an absolute URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse(path, 'only http and https URLs are delivered to')
  if (options.requireHttps && url.protocol !== 'https:') throw refuse(path, 'must use https')
  if (url.username || url.password) throw refuse(path, 'credentials in the URL are not allowed; authenticate with the signature')
  if (url.hash) throw refuse(path, 'a fragment is never sent; remove it')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host)) {
    const why = policy.refusal(host)
    if (why) throw refuse(path, `${host} is ${why}`)
    return url.toString()
  }
  let addresses: Awaited<ReturnType<ResolveAll>>
  try {
    addresses = await (options.resolve ?? systemResolve)(host)
  } catch {
    throw refuse(path, `${host} does not resolve`)
  }
  for (const { address } of addresses) {
    const why = policy.refusal(address)
    if (why) throw refuse(path, `${host} resolves to ${address}, ${why}`)
  }
  if (!addresses.length) throw refuse(path, `${host} does not resolve`)
  return url.toString()
}
