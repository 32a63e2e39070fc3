import type { PgClient, PgPool } from './pool.js'

interface Pending<Op> {
  op: Op
  resolve: () => void
  reject: (err: unknown) => void
}

export interface PgWriteBatcherOptions<Op> {
  /** For batches nobody waits on (history): commits that need not wait for the disk. */
  relaxedPool?: PgPool
  /** Writes a batch of operations on `client`, inside the batch's transaction. */
  apply: (client: PgClient, ops: Op[]) => Promise<void>
  /** How long a write that nobody waits on may sit before it is committed. */
  lazyMs?: number
  maxBatch?: number
}

/**
 * Group commit over one connection at a time. Writes that arrive while a batch commits wait for
 * the next one, so batches grow with load, and batches commit in order (a run's result never
 * lands before its insert). Each caller's promise settles after the commit holding its write.
 */
export function createPgWriteBatcher<Op> (pool: PgPool, options: PgWriteBatcherOptions<Op>) {
  const lazyMs = options.lazyMs ?? 20
  const maxBatch = options.maxBatch ?? 500
  let queue: Array<Pending<Op> & { urgent: boolean }> = []
  let urgent = false
  let timer: NodeJS.Timeout | undefined
  let committing: Promise<void> | undefined

  async function commitBatch (batch: Array<Pending<Op>>, durable: boolean): Promise<void> {
    const client = await (durable ? pool : options.relaxedPool ?? pool).connect()
    try {
      try {
        await client.query('BEGIN')
        await options.apply(client, batch.map((pending) => pending.op))
        await client.query('COMMIT')
        for (const pending of batch) pending.resolve()
        return
      } catch {
        await client.query('ROLLBACK').catch(() => {})
      }
      // One bad write must not sink the others: retry each alone to find it.
      for (const pending of batch) {
        try {
          await client.query('BEGIN')
          await options.apply(client, [pending.op])
          await client.query('COMMIT')
          pending.resolve()
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {})
          pending.reject(err)
        }
      }
    } finally {
      client.release()
    }
  }

  async function drain (): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch)
      urgent = urgent && queue.length > 0
      if (timer !== undefined && queue.length === 0) { clearTimeout(timer); timer = undefined }
      await commitBatch(batch, batch.some((pending) => pending.urgent)).catch((err: unknown) => { for (const pending of batch) pending.reject(err) })
    }
  }

  function schedule (): void {
    if (committing !== undefined) return
    committing = drain().finally(() => {
      committing = undefined
      if (queue.length > 0) kick()
    })
  }

  function kick (): void {
    if (urgent || queue.length >= maxBatch) setImmediate(schedule)
    else timer ??= setTimeout(() => { timer = undefined; schedule() }, lazyMs)
  }

  function enqueue (op: Op, isUrgent: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      queue.push({ op, resolve, reject, urgent: isUrgent })
      if (isUrgent) urgent = true
      kick()
    })
  }

  return {
    write: async (op: Op): Promise<void> => await enqueue(op, true),
    writeLazily: async (op: Op): Promise<void> => await enqueue(op, false),
    /** Commits whatever is waiting now. */
    async flush (): Promise<void> {
      while (committing !== undefined || queue.length > 0) {
        if (committing === undefined) schedule()
        await committing
      }
    }
  }
}
