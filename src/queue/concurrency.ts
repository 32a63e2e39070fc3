/** Runs in flight per entry point (`kind:endpoint`), shared by sync calls and queue workers. */
export function createConcurrency () {
  const counts = new Map<string, number>()
  const key = (kind: string, endpoint: string | null): string => `${kind}\u0000${endpoint ?? ''}`

  return {
    /** Counts one more run unless `max` are already in flight. */
    tryAcquire (kind: string, endpoint: string | null, max: number | undefined): boolean {
      const k = key(kind, endpoint)
      const current = counts.get(k) ?? 0
      if (max !== undefined && current >= max) return false
      counts.set(k, current + 1)
      return true
    },
    acquire (kind: string, endpoint: string | null): void {
      const k = key(kind, endpoint)
      counts.set(k, (counts.get(k) ?? 0) + 1)
    },
    release (kind: string, endpoint: string | null): void {
      const k = key(kind, endpoint)
      const next = (counts.get(k) ?? 1) - 1
      if (next <= 0) counts.delete(k)
      else counts.set(k, next)
    },
    count: (kind: string, endpoint: string | null): number => counts.get(key(kind, endpoint)) ?? 0,
    /** Entry points with at least one run in flight. */
    busy: (): Array<{ kind: string, endpoint: string | null }> => [...counts.keys()].map((k) => {
      const [kind, endpoint] = k.split('\u0000')
      return { kind, endpoint: endpoint === '' ? null : endpoint }
    })
  }
}

export type Concurrency = ReturnType<typeof createConcurrency>
