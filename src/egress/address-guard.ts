import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'
import { EgressError } from './egress-error.js'

type Network = [ipaddr.IPv4 | ipaddr.IPv6, number]

function normalised (address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(address)
  // An IPv4 address hidden in IPv6 (::ffff:a9fe:a9fe) is judged as the IPv4 address it is.
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed
}

/**
 * The SSRF guard. Only public unicast addresses may be reached — not loopback, private, CGNAT,
 * link-local (169.254.169.254), multicast, unspecified, reserved, IPv6 ULA/link-local, nor IPv4
 * embedded in IPv6 (mapped, 64:ff9b::/96, 6to4, Teredo) — unless inside `allowNetworks`. The
 * check runs in the connection's own DNS lookup, so the address checked is the address dialled.
 */
export function createAddressGuard (allowNetworks: readonly string[]) {
  const allowed: Network[] = allowNetworks.map((entry) => {
    const [address, bits] = entry.split('/')
    const ip = ipaddr.parse(address)
    return [ip, bits === undefined ? (ip.kind() === 'ipv4' ? 32 : 128) : Number(bits)]
  })

  const isAllowed = (address: string): boolean => {
    const ip = normalised(address)
    if (allowed.some(([network, bits]) => network.kind() === ip.kind() && ip.match(network as never, bits))) return true
    return ip.range() === 'unicast'
  }

  const refuse = (host: string, address: string): EgressError =>
    new EgressError(403, `address ${address} of ${host} is refused by the SSRF guard (not public; see egress.allowNetworks)`)

  return {
    isAllowed,

    /** Throws for an IP-literal host that is refused (names are checked at connect time). */
    checkLiteral (hostname: string): void {
      const host = hostname.replace(/^\[|\]$/g, '')
      if (isIP(host) !== 0 && !isAllowed(host)) throw refuse(hostname, host)
    },

    /** A `lookup` for net/tls connect that only ever yields allowed addresses. */
    lookup (hostname: string, options: { all?: boolean, family?: number }, callback: (err: Error | null, address?: string | LookupAddress[], family?: number) => void): void {
      dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
        if (err !== null) {
          callback(err)
          return
        }
        const usable = addresses.filter((entry) => isAllowed(entry.address))
        if (usable.length === 0) {
          callback(refuse(hostname, addresses[0]?.address ?? 'none'))
          return
        }
        if (options.all === true) callback(null, usable)
        else callback(null, usable[0].address, usable[0].family)
      })
    }
  }
}

export type AddressGuard = ReturnType<typeof createAddressGuard>
