import { BlockList, isIPv4, isIPv6 } from 'node:net'

/** Whether a client address falls in the configured local networks (addresses or CIDRs). */
export function makeIsLocal (networks: readonly string[]): (address: string) => boolean {
  const list = new BlockList()
  for (const entry of networks) {
    const [address, bits] = entry.split('/')
    const type = isIPv4(address) ? 'ipv4' : 'ipv6'
    if (bits === undefined) list.addAddress(address, type)
    else list.addSubnet(address, Number(bits), type)
  }
  return (address) => {
    if (isIPv4(address)) return list.check(address, 'ipv4')
    if (isIPv6(address)) return list.check(address, 'ipv6')
    return false
  }
}
