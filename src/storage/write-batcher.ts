import type { Db } from './db.js'

interface PendingWrite {
  write: () => void
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * Group commit: writes requested during one turn of the event loop share one transaction, and
 * each caller's promise settles only after the commit that holds its write.
 */
export function createWriteBatcher (db: Db) {
  let queue: PendingWrite[] = []
  let scheduled = false

  function commit (): void {
    scheduled = false
    const batch = queue
    queue = []
    if (batch.length === 0) return
    try {
      db.transaction(() => { for (const op of batch) op.write() }).immediate()
      for (const op of batch) op.resolve()
    } catch {
      // One bad write must not sink the others: retry each alone to find it.
      for (const op of batch) {
        try {
          db.transaction(op.write).immediate()
          op.resolve()
        } catch (err) {
          op.reject(err)
        }
      }
    }
  }

  return {
    write (write: () => void): Promise<void> {
      return new Promise((resolve, reject) => {
        queue.push({ write, resolve, reject })
        if (!scheduled) {
          scheduled = true
          setImmediate(commit)
        }
      })
    },
    /** Commits whatever is waiting now. */
    flush (): void { commit() }
  }
}

export type WriteBatcher = ReturnType<typeof createWriteBatcher>
