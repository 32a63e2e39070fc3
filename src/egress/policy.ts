import type { EgressConfig } from '../config/egress.js'

export class EgressDenied extends Error {}

/**
 * The allow-list: a URL may be called only when its normalised form matches one pattern
 * entirely. Patterns are anchored here, so `https://api\.example\.com/.*` cannot be satisfied by
 * `https://evil.test/?https://api.example.com/`.
 */
export function createEgressPolicy (config: Pick<EgressConfig, 'allow'>) {
  const patterns = config.allow.map((pattern) => new RegExp(`^(?:${pattern})$`))

  return {
    /** The normalised URL when allowed; throws EgressDenied otherwise. */
    check (raw: string): URL {
      let url: URL
      try {
        url = new URL(raw)
      } catch {
        throw new EgressDenied(`not an absolute URL: ${JSON.stringify(raw.slice(0, 200))}`)
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EgressDenied(`only http and https URLs may be called, not ${url.protocol}`)
      if (!patterns.some((pattern) => pattern.test(url.href))) throw new EgressDenied(`URL is not in egress.allow: ${url.href}`)
      return url
    }
  }
}

export type EgressPolicy = ReturnType<typeof createEgressPolicy>
