import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { packageRoot } from '../../storage/package-root.js'
import type { SegmentResult } from '../types.js'
import type { FromHost, HostSetup, SegmentTask } from './protocol.js'

export interface HostPoolOptions {
  size: number
  /** Heap cap of each host process (`--max-old-space-size`). */
  heapMb: number
  setup: HostSetup
  onHostCrash?: (info: { pid?: number, code: number | null, signal: string | null, stderr: string }) => void
  /** A host was killed on purpose (a run's deadline or cancel) and is being replaced. */
  onHostStopped?: () => void
}

interface Pending {
  id: number
  task: SegmentTask
  resolve: (result: SegmentResult) => void
  reject: (error: Error) => void
  signal: AbortSignal
  onAbort: () => void
}

interface Host {
  child: ChildProcess
  ready: boolean
  current?: Pending
  stderrTail: string
}

/** Hosts run the compiled file: a child process cannot load TypeScript. */
const HOST_FILE = join(packageRoot(), 'dist', 'src', 'runner', 'hosts', 'evaluation-host.js')
const RESPAWN_BACKOFF_MS = 1000

export class AbortedError extends Error {
  constructor () {
    super('evaluation aborted')
    this.name = 'AbortError'
  }
}

function crashError (code: number | null, signal: string | null, stderr: string, heapMb: number): Error {
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(stderr)) {
    return new Error(`scenario ran out of memory (evaluation heap limit ${heapMb} MB)`)
  }
  return new Error(`evaluation host crashed (${signal ?? `exit code ${code}`})`)
}

/**
 * A pool of child processes that evaluate one segment at a time each. Processes rather than
 * worker threads: a worker whose heap limit is overshot by one large allocation can abort the
 * whole server (nodejs/node#47224; measured in docs/isolation-research.md), while a child process dies
 * alone. Aborting a running task kills its host at once; a fresh one takes its place.
 */
export function createHostPool (options: HostPoolOptions) {
  const hosts = new Set<Host>()
  const queue: Pending[] = []
  let nextId = 0
  let closed = false
  let markReady: () => void = () => {}
  let failStart: (error: Error) => void = () => {}
  const allReady = new Promise<void>((resolve, reject) => { markReady = resolve; failStart = reject })
  allReady.catch(() => {})
  let startFailures = 0
  const checkReady = (): void => {
    if ([...hosts].filter((host) => host.ready).length >= options.size) markReady()
  }

  function dispatch (): void {
    while (queue.length > 0) {
      const host = [...hosts].find((candidate) => candidate.ready && candidate.current === undefined)
      if (host === undefined) return
      const pending = queue.shift()!
      host.current = pending
      try {
        host.child.send({ type: 'task', id: pending.id, task: pending.task })
      } catch {
        // The exit handler fails the task and replaces the host.
        host.child.kill('SIGKILL')
      }
    }
  }

  function settle (host: Host, pending: Pending): void {
    host.current = undefined
    pending.signal.removeEventListener('abort', pending.onAbort)
  }

  function spawnHost (): void {
    const child = fork(HOST_FILE, [], {
      execArgv: ['--no-node-snapshot', `--max-old-space-size=${options.heapMb}`],
      // Credentials in the server's environment are none of a scenario's business.
      env: {},
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json'
    })
    const host: Host = { child, ready: false, stderrTail: '' }
    hosts.add(host)
    child.stderr?.on('data', (chunk: Buffer) => { host.stderrTail = (host.stderrTail + chunk.toString()).slice(-4096) })
    child.on('message', (message: FromHost) => {
      if (message.type === 'ready') {
        host.ready = true
        checkReady()
        dispatch()
        return
      }
      if (message.type === 'setup-failed') {
        host.stderrTail += message.error
        child.kill('SIGKILL')
        return
      }
      const pending = host.current
      if (pending === undefined || pending.id !== message.id) return
      settle(host, pending)
      if (message.type === 'result') pending.resolve(message.result)
      else pending.reject(new Error(message.error))
      dispatch()
    })
    child.on('error', () => { child.kill('SIGKILL') })
    child.on('exit', (code, signal) => {
      hosts.delete(host)
      const crash = { pid: child.pid, code, signal, stderr: host.stderrTail }
      const pending = host.current
      if (pending !== undefined) {
        // A task aborted on purpose was settled before the kill; this one died under us.
        settle(host, pending)
        pending.reject(crashError(code, signal, host.stderrTail, options.heapMb))
        options.onHostCrash?.(crash)
      }
      if (closed) return
      if (host.ready) {
        spawnHost()
        return
      }
      // A host that dies before it is ready would die again at once: do not spin.
      options.onHostCrash?.(crash)
      if (++startFailures === 3) failStart(new Error(`evaluation hosts fail to start: ${host.stderrTail.trim().split('\n').slice(-5).join(' | ') || `exit code ${code}`}`))
      setTimeout(() => { if (!closed) spawnHost() }, RESPAWN_BACKOFF_MS).unref()
    })
    child.send({ type: 'setup', setup: options.setup })
  }

  for (let i = 0; i < options.size; i++) spawnHost()

  return {
    /** Evaluates one segment; an abort kills the host running it (or drops it from the queue). */
    run (task: SegmentTask, signal: AbortSignal): Promise<SegmentResult> {
      return new Promise((resolve, reject) => {
        if (closed) {
          reject(new Error('evaluation hosts are shut down'))
          return
        }
        if (signal.aborted) {
          reject(new AbortedError())
          return
        }
        const pending: Pending = {
          id: ++nextId,
          task,
          resolve,
          reject,
          signal,
          onAbort: () => {
            const queued = queue.indexOf(pending)
            if (queued !== -1) queue.splice(queued, 1)
            for (const host of hosts) {
              if (host.current === pending) {
                settle(host, pending)
                // Out of the pool before the kill lands, so no task is handed to a dying host.
                hosts.delete(host)
                host.child.kill('SIGKILL')
                options.onHostStopped?.()
              }
            }
            reject(new AbortedError())
          }
        }
        signal.addEventListener('abort', pending.onAbort, { once: true })
        queue.push(pending)
        dispatch()
      })
    },

    /** Resolves once every host has compiled the scenarios and is waiting for work. */
    ready: async (): Promise<void> => await allReady,

    /** Process ids of the live hosts (tests check that a killed host is gone). */
    pids: (): number[] => [...hosts].map((host) => host.child.pid!).filter((pid) => pid !== undefined),

    async close (): Promise<void> {
      closed = true
      for (const pending of queue.splice(0)) pending.reject(new Error('evaluation hosts are shut down'))
      await Promise.all([...hosts].map(async (host) => await new Promise<void>((resolve) => {
        if (host.child.exitCode !== null || host.child.signalCode !== null) {
          resolve()
          return
        }
        host.child.once('exit', () => resolve())
        host.child.kill('SIGKILL')
      })))
    }
  }
}

export type HostPool = ReturnType<typeof createHostPool>
