import dns, { type LookupAddress, type LookupOptions } from 'node:dns'
import { isIP } from 'node:net'
import { Agent, buildConnector } from 'undici'
import type { AddressPolicy } from './address-policy.js'

/** dns.lookup's callback form, always with `all: true`: the guard must see every address. */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>

export const systemResolve: ResolveAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true })

export class RefusedAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_ADDRESS_REFUSED'
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/**
 * A `lookup` for net.connect that resolves every address and refuses the whole name if any one is
 * refused: the check runs on the addresses actually dialled, so DNS rebinding between the check at
 * creation and the connection does not get through.
 */
export function guardedLookup(policy: AddressPolicy, resolve: ResolveAll = systemResolve) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => policy.refusal(a.address))
        if (bad) return callback(new RefusedAddressError(`${hostname} resolves to ${bad.address}, ${policy.refusal(bad.address)}`), [])
        if (!addresses.length) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), [])
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses
        if (options.all) return callback(null, wanted)
        const first = wanted[0] ?? addresses[0]!
        callback(null, first.address, first.family)
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    )
  }
}

export interface GuardedAgentOptions {
  policy: AddressPolicy
  resolve?: ResolveAll
  timeoutMs: number
  /** Sockets per origin; the pump's own concurrency bound is what really limits them. */
  connections?: number
}

/**
 * The only way webhooks leave: an undici Agent whose connector checks IP literals itself (Node
 * skips `lookup` for them) and resolves names through the guarded lookup.
 */
export function createGuardedAgent(options: GuardedAgentOptions): Agent {
  const connectOptions = { timeout: options.timeoutMs, lookup: guardedLookup(options.policy, options.resolve) }
  const connector = buildConnector(connectOptions as buildConnector.BuildOptions)
  const connect: buildConnector.connector = (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, '')
    const why = isIP(host) ? options.policy.refusal(host) : null
    if (why) {
      callback(new RefusedAddressError(`${host} is ${why}`), null)
      return
    }
    connector(opts, callback)
  }
  return new Agent({
    connect,
    connections: options.connections ?? 64,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 10_000,
  })
}
