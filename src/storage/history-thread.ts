import { parentPort, workerData } from 'node:worker_threads'
import { openDb } from './db.js'
import type { FromHistoryThread, HistoryThreadData, ToHistoryThread } from './history-protocol.js'
import { prepareRunInsert } from './run-insert.js'
import { createWriteLock } from './write-lock.js'

/**
 * The history thread: inserts finished sync runs into the catalog on a connection of its own, so
 * the server's thread spends none of its time on their JSON and SQL. It holds the write lock for
 * `ROWS_PER_HOLD` rows at a time: a write the server's thread wants to make waits at most that long.
 */
const ROWS_PER_HOLD = 32
/**
 * Page cache of this connection, in KiB: SQLite's 2 MB default, not better-sqlite3's 16 MB. The
 * thread only appends, so the pages it touches are the right-hand edges of the table and its
 * indexes; the larger cache only held pages once written, ~13 MB of the server's RSS under load
 * (docs/performance.md) at the same throughput. A page it misses comes from the OS's file cache.
 */
const CACHE_KIB = 2000

const { path, synchronous, lock: shared } = workerData as HistoryThreadData
const db = openDb(path, { synchronous })
db.pragma(`cache_size = -${CACHE_KIB}`)
const lock = createWriteLock(shared)
const insert = prepareRunInsert(db)
const insertAll = db.transaction((runs: ToHistoryThread['runs']) => { for (const run of runs) insert(run) })

parentPort!.on('message', ({ seq, runs }: ToHistoryThread) => {
  const failed: FromHistoryThread['failed'] = []
  for (let from = 0; from < runs.length; from += ROWS_PER_HOLD) {
    const chunk = runs.slice(from, from + ROWS_PER_HOLD)
    try {
      lock.hold(() => insertAll.immediate(chunk))
    } catch {
      // One bad row must not sink the others: each alone, to find it.
      for (const run of chunk) {
        try {
          lock.hold(() => insertAll.immediate([run]))
        } catch (err) {
          failed.push([run.id, (err as Error).message])
        }
      }
    }
  }
  parentPort!.postMessage({ seq, failed } satisfies FromHistoryThread)
})
