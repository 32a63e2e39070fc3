import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { QueueDatabase } from './queue-drain.js'

export interface RunningServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123. */
  url: string
  pid: number
  /** hookflow's database, read by the bench to see when the queue has drained. */
  database?: QueueDatabase
  /**
   * A target of several processes (case 8: hookflow instances on one PostgreSQL database): every
   * one of them, the first being `url` and `pid`. The load is spread over them and their CPU and
   * RSS are added up. Undefined for a single process.
   */
  instances?: RunningServer[]
  /**
   * The processes of a database server the target uses (PostgreSQL's): its work, so its CPU is
   * the row's and not "other processes".
   */
  databasePids?: () => Promise<number[]>
  stop: () => Promise<void>
}

export interface ServerSpec {
  name: string
  /** A Node script, run with this Node and `--no-node-snapshot`... */
  script?: string
  /** ...and these flags of Node's (`--cpu-prof`, say). */
  nodeArgs?: string[]
  /** ...or any other executable (the peers: webhook). */
  command?: string
  args?: string[]
  env?: Record<string, string>
  cwd?: string
  port: number
  /** A GET that answers 2xx once the server takes traffic. */
  readyPath: string
  database?: QueueDatabase
  startTimeoutMs?: number
}

const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 10_000
const OUTPUT_TAIL_CHARS = 4096

/**
 * A free loopback port, chosen here rather than by the server: hookflow announces its address
 * only at log level info, and the bench runs it at warn so request logging does not dominate.
 * Another process could take the port in between; start-up would then fail loudly, not silently.
 */
export async function freePort (): Promise<number> {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const address = probe.address()
  probe.close()
  if (address === null || typeof address === 'string') throw new Error('could not pick a free port')
  return address.port
}

/** Starts a server as its own process, so it never shares an event loop with the load generator. */
export async function startServer (spec: ServerSpec): Promise<RunningServer> {
  const [file, args] = spec.command !== undefined
    ? [spec.command, spec.args ?? []]
    : [process.execPath, ['--no-node-snapshot', ...(spec.nodeArgs ?? []), spec.script ?? '', ...(spec.args ?? [])]]
  const child = spawn(file, args, {
    env: { ...process.env, ...spec.env },
    cwd: spec.cwd,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  // Both pipes are drained so a chatty server never blocks on a full pipe; the tail explains a failed start.
  let tail = ''
  const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL_CHARS) }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let spawnError: Error | undefined
  child.on('error', (err) => { spawnError = err })
  const exited = once(child, 'exit').catch(() => undefined)

  const url = `http://127.0.0.1:${spec.port}`
  const gone = (): boolean => spawnError !== undefined || child.exitCode !== null || child.signalCode !== null
  const stop = async (): Promise<void> => {
    if (gone()) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }

  const timeoutMs = spec.startTimeoutMs ?? START_TIMEOUT_MS
  const deadline = Date.now() + timeoutMs
  while (true) {
    if (gone()) {
      const why = spawnError?.message ?? child.signalCode ?? `code ${child.exitCode}`
      throw new Error(`${spec.name} exited during start-up (${why}):\n${tail.trim()}`)
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${spec.name} not ready after ${timeoutMs} ms:\n${tail.trim()}`)
    }
    try {
      const response = await fetch(`${url}${spec.readyPath}`, { signal: AbortSignal.timeout(1000) })
      await response.arrayBuffer()
      if (response.ok) break
    } catch {
      // Not listening yet.
    }
    await sleep(100)
  }
  if (child.pid === undefined) throw new Error(`${spec.name} has no pid`)
  return { url, pid: child.pid, database: spec.database, stop }
}
