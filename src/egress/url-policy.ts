import { isIPv4 } from 'node:net'
import { EgressError } from './egress-error.js'

const anchored = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`)

/** The host exactly as written in the URL (before WHATWG parsing rewrites it). */
function writtenHost (raw: string): string {
  const authority = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0]
  return authority.replace(/^.*@/, '').replace(/:\d*$/, '').toLowerCase()
}

export interface UrlPolicyOptions {
  allow: string[]
  ports: number[]
}

/**
 * Decides on the parsed, normalised URL — never on the raw string: `https://another\.host\.com/.*`
 * (anchored) cannot be met by `https://another.host.com.evil.net/` or by a query that mentions it.
 * User-info, non-http schemes, other ports and numeric host spellings (`2130706433`, `0x7f.1`)
 * are refused outright.
 */
export function createUrlPolicy ({ allow, ports }: UrlPolicyOptions) {
  const patterns = allow.map(anchored)
  const allowedPorts = new Set(ports)

  return function checkUrl (raw: string): URL {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new EgressError(403, 'url is not an absolute URL', raw.slice(0, 200))
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EgressError(403, `only http and https URLs may be called, not ${url.protocol}`, url.href)
    if (url.username !== '' || url.password !== '') throw new EgressError(403, 'URLs with user-info (user@host) are refused', url.href)
    if (isIPv4(url.hostname) && writtenHost(raw) !== url.hostname) {
      throw new EgressError(403, `numeric host form "${writtenHost(raw)}" is refused; write the address as ${url.hostname}`, url.href)
    }
    const port = Number(url.port !== '' ? url.port : url.protocol === 'https:' ? 443 : 80)
    if (!allowedPorts.has(port)) throw new EgressError(403, `port ${port} is not in egress.ports`, url.href)
    if (!patterns.some((pattern) => pattern.test(url.href))) throw new EgressError(403, 'url not allowed', url.href)
    return url
  }
}

export type UrlPolicy = ReturnType<typeof createUrlPolicy>

/** The first service whose pattern matches the whole URL. */
export function createServiceMatcher<T extends { match: string }> (services: T[]) {
  const compiled = services.map((service) => ({ service, pattern: anchored(service.match) }))
  return (url: URL): T | undefined => compiled.find(({ pattern }) => pattern.test(url.href))?.service
}
