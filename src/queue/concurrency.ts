/**
 * Runs in flight per entry point, shared by sync calls and queue workers. Kept as kind → endpoint
 * → count rather than under one `kind:endpoint` key: a key joined per call is a new string to
 * flatten and hash on every acquire and release, twice per sync request (docs/performance.md).
 */
export function createConcurrency () {
  const byKind = new Map<string, Map<string | null, number>>()
  const countsOf = (kind: string): Map<string | null, number> => {
    let counts = byKind.get(kind)
    if (counts === undefined) byKind.set(kind, counts = new Map())
    return counts
  }
  const count = (kind: string, endpoint: string | null): number => byKind.get(kind)?.get(endpoint) ?? 0

  return {
    /** Counts one more run unless `max` are already in flight. */
    tryAcquire (kind: string, endpoint: string | null, max: number | undefined): boolean {
      const counts = countsOf(kind)
      const current = counts.get(endpoint) ?? 0
      if (max !== undefined && current >= max) return false
      counts.set(endpoint, current + 1)
      return true
    },
    acquire (kind: string, endpoint: string | null): void {
      const counts = countsOf(kind)
      counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1)
    },
    release (kind: string, endpoint: string | null): void {
      const counts = byKind.get(kind)
      if (counts === undefined) return
      const next = (counts.get(endpoint) ?? 1) - 1
      if (next <= 0) counts.delete(endpoint)
      else counts.set(endpoint, next)
    },
    count,
    /** Entry points with at least one run in flight. */
    busy: (): Array<{ kind: string, endpoint: string | null }> =>
      [...byKind].flatMap(([kind, counts]) => [...counts.keys()].map((endpoint) => ({ kind, endpoint })))
  }
}

export type Concurrency = ReturnType<typeof createConcurrency>
