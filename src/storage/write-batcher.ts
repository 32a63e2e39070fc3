import type { Db } from './db.js'
import { immediately } from './write-lock.js'

interface PendingWrite {
  write: () => void
  resolve: () => void
  reject: (err: unknown) => void
}

export interface WriteBatcherOptions {
  /** How long a write that nobody waits on may sit before it is committed. */
  lazyMs?: number
  /** A lazy batch this large is committed at once. */
  maxBatch?: number
}

/**
 * Group commit. An urgent write (a caller is waiting to be acknowledged) is committed at the
 * end of the current turn of the event loop, with everything else that is waiting; a lazy write
 * (history) waits up to `lazyMs` for company. Each caller's promise settles only after the commit
 * that holds its write. With `synchronous = FULL` every commit is an fsync, so batching is what
 * keeps intake from being capped by the disk.
 */
export function createWriteBatcher (db: Db, options: WriteBatcherOptions = {}) {
  const lazyMs = options.lazyMs ?? 20
  const maxBatch = options.maxBatch ?? 500
  let queue: PendingWrite[] = []
  let immediate: NodeJS.Immediate | undefined
  let timer: NodeJS.Timeout | undefined

  function commit (): void {
    if (immediate !== undefined) clearImmediate(immediate)
    if (timer !== undefined) clearTimeout(timer)
    immediate = undefined
    timer = undefined
    const batch = queue
    queue = []
    if (batch.length === 0) return
    try {
      immediately(db, () => { for (const op of batch) op.write() })
      for (const op of batch) op.resolve()
    } catch {
      // One bad write must not sink the others: retry each alone to find it.
      for (const op of batch) {
        try {
          immediately(db, op.write)
          op.resolve()
        } catch (err) {
          op.reject(err)
        }
      }
    }
  }

  function enqueue (write: () => void, urgent: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      queue.push({ write, resolve, reject })
      if (urgent || queue.length >= maxBatch) immediate ??= setImmediate(commit)
      else timer ??= setTimeout(commit, lazyMs)
    })
  }

  return {
    /** For writes whose caller waits on the commit (an acknowledgement depends on it). */
    write: (write: () => void): Promise<void> => enqueue(write, true),
    /** For writes nobody waits on: committed within `lazyMs`, with others. */
    writeLazily: (write: () => void): Promise<void> => enqueue(write, false),
    /** Commits whatever is waiting now. */
    flush (): void { commit() }
  }
}

export type WriteBatcher = ReturnType<typeof createWriteBatcher>
