import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { startCluster, stopCluster } from '../../scripts/pg-cluster.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL with a superuser (or CREATEDB) role; see freshPgDatabase. */
    pgUrl: string
  }
}

/**
 * One PostgreSQL server for the whole run: HOOKFLOW_TEST_PG_URL when given (CI starts its own),
 * else a throw-away cluster stopped in teardown. A server that does not answer fails the run:
 * skipping the PostgreSQL tests would let the backend rot unseen.
 */
export default async function setup (project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.HOOKFLOW_TEST_PG_URL
  if (given !== undefined && given !== '') {
    await checkServer(given)
    project.provide('pgUrl', given)
    return undefined
  }
  const cluster = await startCluster()
  // Teardown is skipped when vitest is interrupted, and the cluster would outlive it. Only
  // synchronous work runs in an 'exit' handler, hence stopCluster.
  const stopOnExit = (): void => {
    try {
      stopCluster(cluster.dataDir)
    } catch {
      // exiting anyway: nowhere left to report it
    }
  }
  process.once('exit', stopOnExit)
  project.provide('pgUrl', cluster.url)
  return async () => {
    process.off('exit', stopOnExit)
    await cluster.stop()
  }
}

async function checkServer (url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 })
  try {
    await client.connect()
    const { rows } = await client.query<{ ok: boolean }>(
      'SELECT rolsuper OR rolcreatedb AS ok FROM pg_roles WHERE rolname = current_user'
    )
    if (rows[0]?.ok !== true) throw new Error('its role may not create databases (tests need CREATEDB)')
  } catch (err) {
    throw new Error(`HOOKFLOW_TEST_PG_URL=${redact(url)} is unusable: ${(err as Error).message}`, { cause: err })
  } finally {
    await client.end().catch(() => {})
  }
}

function redact (url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(not a URL)'
  }
}
