import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

export interface RunningServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123. */
  url: string
  pid: number
  stop: () => Promise<void>
}

export interface ServerSpec {
  name: string
  script: string
  args?: string[]
  env?: Record<string, string>
  port: number
  /** A GET that answers 2xx once the server takes traffic. */
  readyPath: string
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

/** Starts a Node server as its own process, so it never shares an event loop with autocannon. */
export async function startServer (spec: ServerSpec): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--no-node-snapshot', spec.script, ...(spec.args ?? [])], {
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  // Both pipes are drained so a chatty server never blocks on a full pipe; the tail explains a failed start.
  let tail = ''
  const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL_CHARS) }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = once(child, 'exit')

  const url = `http://127.0.0.1:${spec.port}`
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }

  const deadline = Date.now() + START_TIMEOUT_MS
  while (true) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${spec.name} exited during start-up (${child.signalCode ?? `code ${child.exitCode}`}):\n${tail.trim()}`)
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${spec.name} not ready after ${START_TIMEOUT_MS} ms:\n${tail.trim()}`)
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
  return { url, pid: child.pid, stop }
}
