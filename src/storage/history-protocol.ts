import type { FinishedRun } from '../runs/types.js'

/** What the history thread is started with. */
export interface HistoryThreadData {
  path: string
  synchronous: 'normal' | 'full'
  /** The server connection's write lock (write-lock.ts). */
  lock: SharedArrayBuffer
}

/** A batch of finished runs to insert. */
export interface ToHistoryThread {
  seq: number
  runs: FinishedRun[]
}

/** The batch is committed, but for these runs (id, why). */
export interface FromHistoryThread {
  seq: number
  failed: Array<[number, string]>
}
