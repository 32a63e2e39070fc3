import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { getPriority, setPriority } from 'node:os'
import { packageRoot } from '../../storage/package-root.js'
import type { SegmentResult } from '../types.js'
import type { FromHost, HostSetup, SegmentTask } from './protocol.js'

export interface HostPoolOptions {
  /** Most hosts at once: more start only while segments wait that no running host can take. */
  size: number
  /** Hosts started at once and kept while idle (at most `size`); 0 or absent: none until needed. */
  min?: number
  /** An idle host beyond `min` exits after this long without a segment; absent: idle hosts stay. */
  idleMs?: number
  /** Heap cap of each host process (`--max-old-space-size`). */
  heapMb: number
  /** Niceness the hosts run at (added to the server's own); 0 or absent: the server's. */
  nice?: number
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
  /** Was in flight on a host that crashed beside other tasks: runs alone now, so a crash is its own. */
  alone: boolean
  /** When it was last handed to a host. */
  sentAt: number
}

interface Host {
  child: ChildProcess
  ready: boolean
  /** Tasks handed to this host and not answered, oldest first. */
  inFlight: Map<number, Pending>
  /** Tasks were moved off it while still in its pipe: it may yet evaluate them, so a crash is nobody's for sure. */
  orphaned: boolean
  stderrTail: string
  /** Since when it holds no task (undefined while it holds some). */
  idleSince?: number
  /** Stopped for being idle: its exit is neither a crash nor a reason to replace it. */
  reaped: boolean
  /** The aborted task it is given a moment to answer itself (abandon() says why), and the kill after it. */
  abandoned?: { id: number, kill: NodeJS.Timeout }
}

/** Hosts run the compiled file: a child process cannot load TypeScript. */
const HOST_FILE = join(packageRoot(), 'dist', 'src', 'runner', 'hosts', 'evaluation-host.js')
const RESPAWN_BACKOFF_MS = 1000
/**
 * Tasks a host holds at once. With one at a time a host sat idle ~75 % of case 2 while its
 * answer waited for the server's busy event loop to send the next task; a few queued in its
 * pipe keep it fed.
 */
const PIPELINE_DEPTH = 4
/** A host whose oldest task has run this long gets no more tasks until it answers. */
const BUSY_MS = 25
/**
 * Tasks waiting behind one that has run this long are handed to another host: a slow or spinning
 * segment must not hold up others until its run's deadline. Evaluation is pure (I/O happens in
 * the server), so a task evaluated twice is only wasted work; the first answer wins.
 */
const STUCK_MS = 200
/**
 * How long a host may take to answer an aborted task itself before it is killed. A script's
 * sandbox stops at the run's deadline on its own (the isolate's timeout), so its host answers a
 * few milliseconds after the abort and can stay. Killing it instead meant starting another, and a
 * `fork` stalls the server's thread for 5–16 ms (docs/performance.md, case 6). A host that does
 * not answer (an expression spinning in its own thread) is killed, as before.
 */
const ABORT_GRACE_MS = 250

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

/** Lowering a child's priority is always allowed; a host that exits at once has no pid to lower. */
function lowerPriority (child: ChildProcess, nice: number): void {
  if (nice === 0 || child.pid === undefined) return
  try {
    setPriority(child.pid, Math.min(19, getPriority() + nice))
  } catch {
    // Gone already: its exit handler deals with it.
  }
}

const oldestOf = (host: Host): Pending | undefined => host.inFlight.values().next().value

/**
 * A pool of child processes that evaluate scenario segments. Processes rather than worker
 * threads: a worker whose heap limit is overshot by one large allocation can abort the whole
 * server (nodejs/node#47224; measured in docs/isolation-research.md), while a child process dies
 * alone. Aborting a running task takes its host out of the pool (killed unless it answers the task
 * itself within ABORT_GRACE_MS), and the other tasks that host held are evaluated elsewhere (in a
 * fresh host if none is free). Hosts start when work waits that no running host can take, up to
 * `size`, and beyond `min` leave again when idle: each is ~60 MB, and a server whose scripts run
 * rarely should not hold a core's worth of them.
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
  /** Set while hosts keep dying before they are ready: runs fail at once instead of at their deadline. */
  let startError: Error | undefined
  let stuckCheck: NodeJS.Timeout | undefined
  /** No host starts before this time: hosts that died before they were ready are not restarted at once. */
  let respawnAt = 0
  const min = Math.min(options.min ?? 0, options.size)
  /**
   * Hosts killed on purpose (a deadline, a cancel, idleness) whose process has not exited yet.
   * They count against `size` and stand in for the host that replaces them, which starts when
   * they are gone: a killed host's ~55 MB is freed before a new host's is taken, so the pool never
   * holds more than `size` host processes (case 6 of `npm run bench` sampled both at once).
   */
  const exiting = new Set<Host>()
  /** Kills a host already taken out of `hosts`: it counts in `exiting` until its process is gone. */
  const killOutOfPool = (host: Host): void => {
    exiting.add(host)
    host.child.kill('SIGKILL')
  }
  /**
   * Out of the pool, counted like a dying host, until it answers `id` itself (back into the pool)
   * or the grace ends (killed).
   */
  const abandon = (host: Host, id: number): void => {
    const stop = (): void => {
      host.abandoned = undefined
      killOutOfPool(host)
      options.onHostStopped?.()
    }
    exiting.add(host)
    const kill = setTimeout(stop, ABORT_GRACE_MS)
    kill.unref()
    host.abandoned = { id, kill }
  }
  const reinstate = (host: Host): void => {
    clearTimeout(host.abandoned!.kill)
    host.abandoned = undefined
    exiting.delete(host)
    hosts.add(host)
    host.idleSince = Date.now()
    dispatch()
  }
  const checkReady = (): void => {
    if ([...hosts].filter((host) => host.ready).length >= min) markReady()
  }

  /** The ready host that should take `pending` now, if any: the least busy one that is not stuck. */
  function hostFor (pending: Pending, now: number): Host | undefined {
    let best: Host | undefined
    for (const host of hosts) {
      if (!host.ready) continue
      const oldest = oldestOf(host)
      if (oldest !== undefined && (pending.alone || oldest.alone || host.inFlight.size >= PIPELINE_DEPTH || now - oldest.sentAt >= BUSY_MS)) continue
      if (best === undefined || host.inFlight.size < best.inFlight.size) best = host
    }
    return best
  }

  function dispatch (): void {
    const now = Date.now()
    while (queue.length > 0) {
      const host = hostFor(queue[0], now)
      if (host === undefined) break
      const pending = queue.shift()!
      pending.sentAt = now
      host.inFlight.set(pending.id, pending)
      host.idleSince = undefined
      try {
        host.child.send({ type: 'task', id: pending.id, task: pending.task })
      } catch {
        // The exit handler hands its tasks on and replaces the host.
        host.child.kill('SIGKILL')
      }
    }
    ensureHosts()
    watchStuck()
  }

  /**
   * Starts hosts while fewer than `min` run, or while segments wait that no running host can take
   * (one new host per waiting segment not already covered by a host that is starting).
   */
  function ensureHosts (): void {
    if (closed || Date.now() < respawnAt) return
    const processes = (): number => hosts.size + exiting.size
    const starting = (): number => [...hosts].filter((host) => !host.ready).length + exiting.size
    while (processes() < options.size && (processes() < min || queue.length > starting())) spawnHost()
  }

  /** Stops hosts beyond `min` that have held no task for `idleMs`. */
  function reapIdle (idleMs: number): void {
    const now = Date.now()
    for (const host of hosts) {
      if (hosts.size <= min) return
      if (!host.ready || host.idleSince === undefined || now - host.idleSince < idleMs) continue
      hosts.delete(host)
      host.reaped = true
      killOutOfPool(host)
    }
  }

  /** While tasks wait behind another one, look again shortly whether that one is stuck. */
  function watchStuck (): void {
    if (stuckCheck !== undefined || closed) return
    if (![...hosts].some((host) => host.inFlight.size > 1) && queue.length === 0) return
    stuckCheck = setTimeout(() => {
      stuckCheck = undefined
      const now = Date.now()
      for (const host of hosts) {
        const oldest = oldestOf(host)
        if (oldest === undefined || host.inFlight.size < 2 || now - oldest.sentAt < STUCK_MS) continue
        const behind = [...host.inFlight.values()].slice(1)
        for (const pending of behind) host.inFlight.delete(pending.id)
        host.orphaned = true
        queue.unshift(...behind)
      }
      dispatch()
    }, BUSY_MS)
    stuckCheck.unref()
  }

  function settle (host: Host, pending: Pending): void {
    host.inFlight.delete(pending.id)
    if (host.inFlight.size === 0) host.idleSince = Date.now()
    pending.signal.removeEventListener('abort', pending.onAbort)
  }

  /** Takes a host out of the pool and gives back the tasks it held, to be evaluated elsewhere. */
  function retire (host: Host): Pending[] {
    hosts.delete(host)
    const held = [...host.inFlight.values()]
    host.inFlight.clear()
    return held
  }

  function spawnHost (): void {
    const child = fork(HOST_FILE, [], {
      execArgv: ['--no-node-snapshot', `--max-old-space-size=${options.heapMb}`],
      // Credentials in the server's environment are none of a scenario's business.
      env: {},
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json'
    })
    lowerPriority(child, options.nice ?? 0)
    const host: Host = { child, ready: false, inFlight: new Map(), orphaned: false, stderrTail: '', reaped: false }
    hosts.add(host)
    child.stderr?.on('data', (chunk: Buffer) => { host.stderrTail = (host.stderrTail + chunk.toString()).slice(-4096) })
    child.on('message', (message: FromHost) => {
      if (message.type === 'ready') {
        host.ready = true
        host.idleSince = Date.now()
        startFailures = 0
        startError = undefined
        checkReady()
        dispatch()
        return
      }
      if (message.type === 'setup-failed') {
        host.stderrTail += message.error
        child.kill('SIGKILL')
        return
      }
      if (host.abandoned?.id === message.id) {
        // After close() it is being killed with the rest.
        if (!closed) reinstate(host)
        return
      }
      // An answer to a task handed elsewhere meanwhile (stuck, or its host retired) is dropped.
      const pending = host.inFlight.get(message.id)
      if (pending === undefined) return
      settle(host, pending)
      if (message.type === 'result') pending.resolve(message.result)
      else pending.reject(new Error(message.error))
      dispatch()
    })
    child.on('error', () => { child.kill('SIGKILL') })
    child.on('exit', (code, signal) => {
      clearTimeout(host.abandoned?.kill)
      host.abandoned = undefined
      exiting.delete(host)
      if (host.reaped) {
        // Its memory is free: a host that waited for it may start now.
        dispatch()
        return
      }
      const wasInPool = hosts.has(host)
      const held = retire(host)
      if (closed) {
        for (const pending of held) pending.reject(new Error('evaluation hosts are shut down'))
        return
      }
      if (wasInPool && held.length > 0) {
        const crash = { pid: child.pid, code, signal, stderr: host.stderrTail }
        if (!host.orphaned && (held.length === 1 || held[0].alone)) {
          // It died under this task alone: the task is the cause.
          for (const pending of held) {
            pending.signal.removeEventListener('abort', pending.onAbort)
            pending.reject(crashError(code, signal, host.stderrTail, options.heapMb))
          }
        } else {
          // Which of them killed it is unknown: each runs again alone, and only the culprit fails.
          for (const pending of held) pending.alone = true
          queue.unshift(...held)
        }
        options.onHostCrash?.(crash)
      }
      if (host.ready) {
        // Replaced if below runner.minHosts or work waits (its place may be taken already, for a
        // run that came meanwhile); otherwise the next run that needs a host starts one.
        dispatch()
        return
      }
      // A host that dies before it is ready would die again at once: do not spin.
      if (held.length === 0) options.onHostCrash?.({ pid: child.pid, code, signal, stderr: host.stderrTail })
      if (++startFailures >= 3) {
        startError = new Error(`evaluation hosts fail to start: ${host.stderrTail.trim().split('\n').slice(-5).join(' | ') || `exit code ${code}`}`)
        for (const pending of queue.splice(0)) {
          pending.signal.removeEventListener('abort', pending.onAbort)
          pending.reject(startError)
        }
        failStart(startError)
      }
      respawnAt = Date.now() + RESPAWN_BACKOFF_MS
      setTimeout(ensureHosts, RESPAWN_BACKOFF_MS).unref()
    })
    child.send({ type: 'setup', setup: options.setup })
  }

  ensureHosts()
  checkReady()
  const reaper = options.idleMs === undefined ? undefined : setInterval(() => reapIdle(options.idleMs!), Math.max(50, Math.min(1000, options.idleMs / 4)))
  reaper?.unref()

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
        if (startError !== undefined) {
          reject(startError)
          // Hosts start only for work: a run turned away is the occasion to try again (after the backoff).
          if (hosts.size === 0 && Date.now() >= respawnAt) spawnHost()
          return
        }
        const pending: Pending = {
          id: ++nextId,
          task,
          resolve,
          reject,
          signal,
          alone: false,
          sentAt: 0,
          onAbort: () => {
            const queued = queue.indexOf(pending)
            if (queued !== -1) queue.splice(queued, 1)
            for (const host of hosts) {
              if (host.inFlight.has(pending.id)) {
                settle(host, pending)
                // Out of the pool while it may still be busy with the aborted task, so no task is
                // handed to it; the others it held are innocent and go to another host. It may yet
                // evaluate those if it stays, so a later crash of it is nobody's for sure.
                const others = retire(host)
                if (others.length > 0) host.orphaned = true
                queue.unshift(...others)
                abandon(host, pending.id)
              }
            }
            reject(new AbortedError())
            dispatch()
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
      clearTimeout(stuckCheck)
      clearInterval(reaper)
      for (const pending of queue.splice(0)) pending.reject(new Error('evaluation hosts are shut down'))
      await Promise.all([...hosts, ...exiting].map(async (host) => await new Promise<void>((resolve) => {
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
