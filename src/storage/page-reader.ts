import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { RunFilter } from '../runs/types.js'
import type { FromPageThread, PageThreadData, ToPageThread } from './page-protocol.js'
import { packageRoot } from './package-root.js'

const THREAD_FILE = join(packageRoot(), 'dist', 'src', 'storage', 'page-thread.js')
/** A page's rows and bytes are garbage once it is sent: V8's 16 MB default semi-spaces only held them. */
const YOUNG_GENERATION_MB = 4
/** A thread without pages for this long is stopped: with a worker alive, async intake ran slower. */
const IDLE_MS = 30_000

export interface PageReaderOptions {
  path: string
  /** Reads a page on the server's own connection, when the thread is gone (it died). */
  fallback: (filter: RunFilter, limit: number) => Promise<Buffer>
  idleMs?: number
}

export interface PageReader {
  /** The API's JSON body of one list page; `filter.limit` is one more than `limit`. */
  read: (filter: RunFilter, limit: number) => Promise<Buffer>
  close: () => Promise<void>
}

interface Waiting { resolve: (body: Buffer) => void, reject: (err: Error) => void, filter: RunFilter, limit: number }

/**
 * Run-list pages read and written on a thread of their own (page-thread.ts), with a read-only
 * use of its own connection: a page of the 1 M catalog is ~0.2 ms of the server's thread, most of
 * it the SQLite statement, while the machine's other core idles (docs/performance.md, case 7).
 * The body comes back as bytes, handed over without a copy.
 */
export function createPageReader (options: PageReaderOptions): PageReader {
  const idleMs = options.idleMs ?? IDLE_MS
  const waiting = new Map<number, Waiting>()
  let seq = 0
  let worker: Worker | undefined
  let lastUsed = 0
  let idleTimer: NodeJS.Timeout | undefined

  const settle = ({ seq: done, body, offset, length, error }: FromPageThread): void => {
    const page = waiting.get(done)
    if (page === undefined) return
    waiting.delete(done)
    if (body !== undefined) page.resolve(Buffer.from(body, offset, length))
    else page.reject(new Error(error))
  }

  /** Pages the thread had not answered are read here instead; the next page starts a new thread. */
  const lost = (thread: Worker): void => {
    if (worker !== thread) return
    worker = undefined
    clearInterval(idleTimer)
    const unanswered = [...waiting.values()]
    waiting.clear()
    for (const page of unanswered) options.fallback(page.filter, page.limit).then(page.resolve, page.reject)
  }

  function threadOf (): Worker {
    if (worker !== undefined) return worker
    const thread = new Worker(THREAD_FILE, {
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      workerData: { path: options.path } satisfies PageThreadData
    })
    thread.unref()
    thread.on('message', settle)
    thread.on('error', () => lost(thread))
    thread.on('exit', () => lost(thread))
    worker = thread
    idleTimer = setInterval(() => {
      if (waiting.size === 0 && performance.now() - lastUsed > idleMs) void stop()
    }, Math.max(idleMs / 4, 10)).unref()
    return thread
  }

  async function stop (): Promise<void> {
    const thread = worker
    if (thread === undefined) return
    lost(thread)
    await thread.terminate()
  }

  return {
    read: async (filter, limit) => await new Promise<Buffer>((resolve, reject) => {
      lastUsed = performance.now()
      const thread = threadOf()
      waiting.set(++seq, { resolve, reject, filter, limit })
      thread.postMessage({ seq, filter, limit } satisfies ToPageThread)
    }),
    close: stop
  }
}
