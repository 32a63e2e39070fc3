import pg from 'pg'

export type PgPool = pg.Pool
export type PgClient = pg.PoolClient

const INT8 = 20

/**
 * A connection pool. BIGINT (ids, epoch-ms times, counts) is read as a JS number: every value we
 * store stays below 2^53.
 */
export function createPgPool (url: string, max: number, options: { relaxed?: boolean } = {}): PgPool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Relaxed: commits return before their WAL is flushed. Only for writes a crash may lose
    // without breaking a promise made to a caller (see open-storage.ts).
    ...(options.relaxed === true ? { options: '-c synchronous_commit=off' } : {}),
    // A blackholed host fails start-up (and readiness) in seconds instead of hanging.
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
    }
  })
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on('error', () => {})
  return pool
}

/** Runs `work` in one transaction on one client; rolls back and rethrows on failure. */
export async function inTransaction<T> (pool: PgPool, work: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.release()
  }
}
