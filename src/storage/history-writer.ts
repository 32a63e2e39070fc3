import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { FinishedRun } from '../runs/types.js'
import type { FromHistoryThread, HistoryThreadData, ToHistoryThread } from './history-protocol.js'
import { packageRoot } from './package-root.js'
import type { WriteLock } from './write-lock.js'

/** A thread cannot load TypeScript: it runs the compiled file (as the evaluation hosts do). */
const THREAD_FILE = join(packageRoot(), 'dist', 'src', 'storage', 'history-thread.js')
/**
 * The thread's young generation: what it allocates (a batch's rows, their JSON) is dead once the
 * batch commits, so V8's default 16 MB semi-spaces only held garbage. 4 MB took ~11 MB off the
 * server's RSS under case 1 load with the thread's CPU a run unchanged (docs/performance.md).
 */
const YOUNG_GENERATION_MB = 4

export interface HistoryWriterOptions {
  path: string
  synchronous: 'normal' | 'full'
  lock: WriteLock
  /** Where runs go when the thread is gone (it died): the server's own connection. */
  fallback: (run: FinishedRun) => Promise<void>
  /** How long a run may wait for company before its batch is sent (default 4 ms). */
  lazyMs?: number
  /** A batch this large is sent at once. */
  maxBatch?: number
}

export interface HistoryWriter {
  /** Resolves once the run is committed. */
  record: (run: FinishedRun) => Promise<void>
  /** Sends what waits and resolves once everything sent so far is committed. */
  flush: () => Promise<void>
  close: () => Promise<void>
}

interface Batch {
  promise: Promise<Map<number, string> | undefined>
  settle: (failed: Map<number, string> | undefined) => void
  fail: (err: Error) => void
}

function newBatch (): Batch {
  let settle!: Batch['settle']
  let fail!: Batch['fail']
  const promise = new Promise<Map<number, string> | undefined>((resolve, reject) => { settle = resolve; fail = reject })
  promise.catch(() => {})
  return { promise, settle, fail }
}

/**
 * Sync run history written by a thread of its own (history-thread.ts). Sync runs are recorded
 * after their caller got the reply, so nobody waits on these writes; turning a finished run into
 * JSON and a row and committing it on the server's thread cost case 1 of `npm run bench` about
 * 40 % of its throughput (docs/performance.md). Runs are batched here for up to `lazyMs` and sent as one
 * message.
 */
export function createHistoryWriter (options: HistoryWriterOptions): HistoryWriter {
  // 4 ms rather than the 20 ms of the server's own lazy lane: a run held longer outlives more
  // scavenges and is promoted to the old generation before it is sent. Case 1, six paired 6 s
  // runs: 20 ms 5 935–7 739 (median 6 635), 4 ms 6 900–7 608 (7 224), 1 ms 6 937–7 622 (6 992) req/s.
  const lazyMs = options.lazyMs ?? 4
  const maxBatch = options.maxBatch ?? 256
  const sent = new Map<number, Batch>()
  let waiting: FinishedRun[] = []
  let current: Batch | undefined
  let timer: NodeJS.Timeout | undefined
  let seq = 0
  let gone: Error | undefined
  let worker: Worker | undefined

  const stop = (err: Error): void => {
    gone ??= err
    for (const batch of sent.values()) batch.fail(gone)
    sent.clear()
    // What had not been sent yet goes through the server's own connection.
    const unsent = waiting
    const batch = current
    waiting = []
    current = undefined
    if (batch !== undefined) Promise.all(unsent.map(options.fallback)).then(() => batch.settle(undefined), batch.fail)
  }

  /**
   * Started with the first run to record: a server that records no sync run has no thread (with a
   * worker thread alive, async intake measured 10–15 % slower, thread idle or not).
   */
  function threadOf (): Worker {
    if (worker !== undefined) return worker
    worker = new Worker(THREAD_FILE, {
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      workerData: { path: options.path, synchronous: options.synchronous, lock: options.lock.shared } satisfies HistoryThreadData
    })
    // Pending writes keep nothing alive: close() flushes them.
    worker.unref()
    worker.on('message', ({ seq: done, failed }: FromHistoryThread) => {
      const batch = sent.get(done)
      sent.delete(done)
      batch?.settle(failed.length === 0 ? undefined : new Map(failed))
    })
    worker.on('error', (err) => stop(err))
    worker.on('exit', (code) => stop(new Error(`history thread exited (code ${code})`)))
    return worker
  }

  function send (): void {
    clearTimeout(timer)
    timer = undefined
    if (current === undefined) return
    const runs = waiting
    const batch = current
    waiting = []
    current = undefined
    sent.set(++seq, batch)
    const thread = threadOf()
    try {
      thread.postMessage({ seq, runs } satisfies ToHistoryThread)
    } catch {
      // A value structured clone refuses (a function a main-thread scenario left in a variable):
      // the batch goes as the JSON it is stored as, and a run JSON refuses too fails alone.
      postAsJson(thread, seq, runs, batch)
    }
  }

  function postAsJson (thread: Worker, batchSeq: number, runs: FinishedRun[], batch: Batch): void {
    const plain: FinishedRun[] = []
    const refused = new Map<number, string>()
    for (const run of runs) {
      try {
        plain.push(JSON.parse(JSON.stringify(run)) as FinishedRun)
      } catch (err) {
        refused.set(run.id, `run could not be written as JSON: ${(err as Error).message}`)
      }
    }
    if (refused.size > 0) {
      const settle = batch.settle
      batch.settle = (failed) => { settle(new Map([...refused, ...(failed ?? [])])) }
    }
    thread.postMessage({ seq: batchSeq, runs: plain } satisfies ToHistoryThread)
  }

  return {
    record (run: FinishedRun): Promise<void> {
      if (gone !== undefined) return options.fallback(run)
      current ??= newBatch()
      waiting.push(run)
      const batch = current
      if (waiting.length >= maxBatch) send()
      else timer ??= setTimeout(send, lazyMs)
      // The id, not the run: the run itself may be collected once it is sent.
      const id = run.id
      return batch.promise.then((failed) => {
        const why = failed?.get(id)
        if (why !== undefined) throw new Error(why)
      })
    },

    async flush (): Promise<void> {
      send()
      await Promise.allSettled([...sent.values()].map(async (batch) => await batch.promise))
    },

    async close (): Promise<void> {
      await this.flush()
      gone ??= new Error('history thread closed')
      await worker?.terminate()
    }
  }
}
