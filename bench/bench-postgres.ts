import { pathToFileURL } from 'node:url'
import pg from 'pg'
import type { PgCluster } from '../scripts/pg-cluster.mjs'
import { CaseSkipped } from './case-skipped.js'
import { paths } from './paths.js'
import { treePids } from './process-tree.js'

/** A database of its own for one target, in the case's cluster. */
export interface BenchPgDatabase {
  url: string
  /** The cluster's processes (the postmaster and its children: a backend per connection). */
  pids: () => Promise<number[]>
}

export interface BenchPostgres {
  /** A new, empty database named after the target; starts the cluster on first use. */
  freshDatabase: (name: string) => Promise<BenchPgDatabase>
  /** Stops the cluster and removes its files, if it was started. */
  stop: () => Promise<void>
}

/**
 * Imported at run time from the source tree: tsc compiles bench/ to dist/bench/ but does not copy
 * scripts/*.mjs, so a static import would look for dist/scripts/pg-cluster.mjs.
 */
async function loadPgCluster (): Promise<typeof import('../scripts/pg-cluster.mjs')> {
  return await import(pathToFileURL(paths.pgCluster).href) as typeof import('../scripts/pg-cluster.mjs')
}

/**
 * The PostgreSQL cluster of one case, started by the bench itself with durable settings (fsync
 * and synchronous commits, as in production): the rows compare with SQLite on the same disk. It
 * is started only when a target asks for a database. If it cannot start, the case is skipped
 * (CaseSkipped) with PostgreSQL's reason.
 */
export function makeBenchPostgres (log: (line: string) => void): BenchPostgres {
  let cluster: Promise<PgCluster> | undefined
  const start = async (): Promise<PgCluster> => {
    try {
      const started = await (await loadPgCluster()).startCluster({ durable: true })
      log(`  started PostgreSQL (durable: fsync, synchronous_commit on) at ${started.url} (pid ${started.pid}, ${started.dataDir})`)
      return started
    } catch (err) {
      throw new CaseSkipped(`PostgreSQL could not be started: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  return {
    async freshDatabase (name) {
      const { url, pid } = await (cluster ??= start())
      const database = `bench_${name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        // Each target's own: rows never see another row's runs in the queue they drain.
        await client.query(`CREATE DATABASE ${database}`)
      } finally {
        await client.end()
      }
      const databaseUrl = new URL(url)
      databaseUrl.pathname = `/${database}`
      return { url: databaseUrl.toString(), pids: async () => await treePids(pid) }
    },
    async stop () {
      const started = await cluster?.catch(() => undefined)
      cluster = undefined
      await started?.stop()
    }
  }
}
