import { BlockList, isIP } from 'node:net'

/**
 * Which addresses a webhook may reach (SSRF guard). Everything public is allowed; loopback,
 * private, link-local (cloud metadata included), CGNAT, unique-local, multicast, reserved,
 * unspecified and translated ranges are refused unless an allow-listed range covers them.
 */
const REFUSED_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
]
const REFUSED_V6: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b::', 96, 'NAT64'],
  ['100::', 64, 'discard'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['ff00::', 8, 'multicast'],
]

function listOf(ranges: Array<[string, number, string]>, family: 'ipv4' | 'ipv6'): Array<[BlockList, string]> {
  return ranges.map(([network, prefix, why]) => {
    const list = new BlockList()
    list.addSubnet(network, prefix, family)
    return [list, why]
  })
}

const refused = [...listOf(REFUSED_V4, 'ipv4'), ...listOf(REFUSED_V6, 'ipv6')]
const mapped = new BlockList()
mapped.addSubnet('::ffff:0:0', 96, 'ipv6')

export interface AddressPolicy {
  /** Why `address` may not be reached, or null when it may. */
  refusal(address: string): string | null
}

/** `allowedCidrs`: RELANCE_WEBHOOK_ALLOWED_CIDRS, comma-separated, e.g. `127.0.0.1/32`. */
export function createAddressPolicy(allowedCidrs = ''): AddressPolicy {
  const allowed = new BlockList()
  for (const cidr of allowedCidrs.split(',').map((c) => c.trim()).filter(Boolean)) {
    const [network, prefix] = cidr.split('/')
    allowed.addSubnet(network!, Number(prefix), isIP(network!) === 6 ? 'ipv6' : 'ipv4')
  }
  return {
    refusal(raw) {
      const address = raw.replace(/^\[|\]$/g, '')
      const family = isIP(address)
      if (family === 0) return 'not an IP address'
      const type = family === 4 ? 'ipv4' : 'ipv6'
      // An IPv4-mapped IPv6 address is how a v4 target hides in a v6 literal: always refused.
      if (family === 6 && mapped.check(address, 'ipv6')) return 'an IPv4-mapped IPv6 address'
      if (allowed.check(address, type)) return null
      for (const [list, why] of refused) if (list.check(address, type)) return `a ${why} address`
      return null
    },
  }
}
