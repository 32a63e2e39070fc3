import { parentPort, workerData } from 'node:worker_threads'
import { runPageBodyOf } from '../runs/run-page-body.js'
import { openDb } from './db.js'
import type { FromPageThread, PageThreadData, ToPageThread } from './page-protocol.js'
import { SUMMARY_JSON_HEAD, TIME_COLUMNS } from './presented-json-sql.js'
import { runListSql } from './run-filter-sql.js'
import { oncePerKey } from '../once-per-key.js'
import type { RunJsonRow } from './types.js'

/** SQLite's own 2 MB default, not better-sqlite3's 16 MB: the OS's file cache holds the rest. */
const CACHE_KIB = 2000

const { path } = workerData as PageThreadData
const db = openDb(path)
db.pragma(`cache_size = -${CACHE_KIB}`)
const reader = oncePerKey((sql: string) => db.prepare<unknown[]>(sql).raw(true))

function copyOf (bytes: Buffer): Buffer {
  const own = Buffer.allocUnsafeSlow(bytes.length)
  bytes.copy(own)
  return own
}

parentPort!.on('message', ({ seq, filter, limit }: ToPageThread) => {
  try {
    const { sql, args } = runListSql(`id, ${SUMMARY_JSON_HEAD}, ${TIME_COLUMNS}`, filter, () => '?')
    const bytes = runPageBodyOf(reader(sql).all(...args) as RunJsonRow[], limit)
    // A small body may sit in Buffer's shared pool, which cannot be handed over: it gets its own.
    const own = bytes.buffer.byteLength > Buffer.poolSize ? bytes : copyOf(bytes)
    const body = own.buffer as ArrayBuffer
    parentPort!.postMessage({ seq, body, offset: own.byteOffset, length: own.length } satisfies FromPageThread, [body])
  } catch (err) {
    parentPort!.postMessage({ seq, error: (err as Error).message } satisfies FromPageThread)
  }
})
