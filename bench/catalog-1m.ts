import Database from 'better-sqlite3'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startHookflow } from './hookflow-server.js'

export const CATALOG_ROWS = 1_000_000
/** Finished runs are spread over this many endpoints; case 7 filters on one of them. */
export const CATALOG_ENDPOINTS = 10
export const catalogEndpoint = (index: number): string => `hist-${index}`

/**
 * The database of cases 3 (intake beside a full catalog) and 7 (paging it): hookflow is started
 * once on a new file so its migrations run, stopped, then 1 000 000 finished runs are inserted
 * directly, in one transaction. Each row has the shape and size of a real sync run of case 1
 * (input with headers and body, output, a one-step log: about 1.2 kB), `status` succeeded,
 * `endpoint` cycling over hist-0 … hist-9, ids and `created_at` ascending (one run every 50 ms,
 * ending now). bench/config.json keeps runs forever (`runs.retainDays: 0`), so none is pruned.
 */
export async function buildCatalog (workDir: string, log: (line: string) => void): Promise<string> {
  const dbPath = join(workDir, 'catalog-1m.db')
  const started = performance.now()
  const server = await startHookflow('hookflow (catalog set-up)', 'hosts', workDir, { sqlite: dbPath })
  await server.stop()

  const db = new Database(dbPath)
  try {
    // A scratch file: durability of the set-up itself does not matter.
    db.pragma('synchronous = OFF')
    const insert = db.prepare(`INSERT INTO runs (id, kind, endpoint, scenario, status, is_async, input, output, error, steps,
      attempt, timeout_ms, created_at, started_at, finished_at)
      VALUES (?, 'webrequest', ?, 'echo', 'succeeded', 0, ?, ?, NULL, ?, 1, 60000, ?, ?, ?)`)
    const first = Date.now() - CATALOG_ROWS * 50
    const output = JSON.stringify({ $body: { ok: true, got: { order: 42, items: [1, 2, 3] } } })
    db.transaction(() => {
      for (let id = 1; id <= CATALOG_ROWS; id++) {
        const endpoint = catalogEndpoint(id % CATALOG_ENDPOINTS)
        const createdAt = first + id * 50
        const body = { order: id, items: [1, 2, 3] }
        const input = JSON.stringify({
          event: { id: `00000000-0000-4000-8000-${id.toString(16).padStart(12, '0')}`, type: '$webRequest', async: false },
          script: { id: 'echo' },
          user: { id: null },
          url: `http://127.0.0.1:3234/api/webrequest/${endpoint}`,
          method: 'POST',
          headers: { host: '127.0.0.1:3234', 'user-agent': 'bench', accept: '*/*', 'content-type': 'application/json', 'content-length': '30' },
          cookies: {},
          query: {},
          body,
          rawBody: JSON.stringify(body),
          files: [],
          ip: '127.0.0.1'
        })
        const steps = JSON.stringify([{ kind: 'set', path: 'scenarios.echo.steps[0]', startedAt: createdAt + 1, durationMs: 0, status: 'ok', output }])
        insert.run(id, endpoint, input, output, steps, createdAt, createdAt, createdAt + 3)
      }
    })()
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
  log(`  built a catalog of ${CATALOG_ROWS} finished runs in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return dbPath
}
