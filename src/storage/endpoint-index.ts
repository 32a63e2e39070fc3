import type { Endpoint } from './types.js'

/** What a store answers from memory between two config loads. */
export interface EndpointIndex {
  find: (kind: string, slug: string) => Endpoint | undefined
  /** Every endpoint, by kind, then slug. */
  list: () => Endpoint[]
}

/**
 * The endpoints of a config, looked up by kind, then slug. Two maps rather than one keyed by
 * `kind + slug`: a joined key is a new string to flatten and hash on every request's lookup
 * (docs/performance.md).
 */
export function indexEndpoints (endpoints: Iterable<Endpoint>): EndpointIndex {
  const sorted = [...endpoints].sort((a, b) => a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
  const byKind = new Map<string, Map<string, Endpoint>>()
  for (const endpoint of sorted) {
    let slugs = byKind.get(endpoint.kind)
    if (slugs === undefined) byKind.set(endpoint.kind, slugs = new Map())
    slugs.set(endpoint.slug, endpoint)
  }
  return {
    find: (kind, slug) => byKind.get(kind)?.get(slug),
    list: () => sorted.slice()
  }
}
