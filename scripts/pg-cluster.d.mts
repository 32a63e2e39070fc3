// Types for the plain-JS scripts/pg-cluster.mjs, so TypeScript tests can import it.
export interface PgCluster {
  /** postgres://hookflow@127.0.0.1:<port>/postgres (trust auth, superuser) */
  url: string
  dataDir: string
  pid: number
  stop: () => Promise<void>
}

export function startCluster (): Promise<PgCluster>
export function stopCluster (dataDir: string): void
