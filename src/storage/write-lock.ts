import type { Db } from './db.js'

/**
 * A write lock between the threads of one process that write the same SQLite file (the server's
 * connection and the history thread's). SQLite serialises writers by itself, but a writer that
 * finds the file locked sleeps in steps of 1 ms or more (its busy handler) — on the server's
 * thread that stalls every request. Taking this lock first, a writer waits on a futex instead and
 * wakes the moment the other lets go; the other holds it for one short transaction.
 *
 * Advisory: a thread that waited `MAX_WAIT_MS` (the other one died holding it, say) goes ahead,
 * and SQLite's own lock keeps the writes correct.
 */
export interface WriteLock {
  /** Memory both threads see: hand it to the other thread. */
  readonly shared: SharedArrayBuffer
  /** Runs `work` holding the lock; nested calls on the same thread just run. */
  hold: <T>(work: () => T) => T
}

const FREE = 0
const HELD = 1
const MAX_WAIT_MS = 100

export function createWriteLock (shared = new SharedArrayBuffer(4)): WriteLock {
  const word = new Int32Array(shared)
  let depth = 0

  function acquire (): boolean {
    const giveUpAt = Date.now() + MAX_WAIT_MS
    while (Atomics.compareExchange(word, 0, FREE, HELD) !== FREE) {
      const left = giveUpAt - Date.now()
      if (left <= 0) return false
      Atomics.wait(word, 0, HELD, left)
    }
    return true
  }

  return {
    shared,
    hold<T> (work: () => T): T {
      if (depth > 0) return work()
      const owned = acquire()
      depth++
      try {
        return work()
      } finally {
        depth--
        if (owned) {
          Atomics.store(word, 0, FREE)
          Atomics.notify(word, 0, 1)
        }
      }
    }
  }
}

const locks = new WeakMap<Db, WriteLock>()

/** The lock of the connection `db` (made on first use). */
export function writeLockOf (db: Db): WriteLock {
  let lock = locks.get(db)
  if (lock === undefined) {
    lock = createWriteLock()
    locks.set(db, lock)
  }
  return lock
}

/** `db.transaction(work).immediate()`, holding the connection's write lock. */
export function immediately<T> (db: Db, work: () => T): T {
  return writeLockOf(db).hold(() => db.transaction(work).immediate())
}
