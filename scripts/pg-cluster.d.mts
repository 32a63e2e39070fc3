// Types for the plain-JS scripts/pg-cluster.mjs, so TypeScript tests can import it.
export interface PgCluster {
  /** postgres://hookflow@127.0.0.1:<port>/postgres (trust auth, superuser) */
  url: string
  dataDir: string
  pid: number
  stop: () => Promise<void>
}

/** `durable`: fsync and synchronous commits, PostgreSQL's defaults (the bench); by default neither (tests). */
export function startCluster (options?: { durable?: boolean }): Promise<PgCluster>
export function stopCluster (dataDir: string): void
