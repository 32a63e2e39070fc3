import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

const root = join(import.meta.dirname, '..')
const serverJs = join(root, 'dist', 'src', 'server.js')

export interface ServerProcess {
  exit: Promise<number | null>
  output: () => string
  kill: (signal: NodeJS.Signals) => void
  /** The listening URL, once the server says it. */
  url: Promise<string>
  pid: number
}

/** The built server as a child process, as an operator would run it. */
export function startServer (args: string[], env: Record<string, string> = {}): ServerProcess {
  const child = spawn(process.execPath, ['--no-node-snapshot', serverJs, ...args], { cwd: root, env: { ...process.env, ...env } })
  let output = ''
  let announce: (url: string) => void = () => {}
  const url = new Promise<string>((resolve) => { announce = resolve })
  const collect = (chunk: Buffer): void => {
    output += chunk.toString()
    const match = /hookflow listening on (http:\/\/[^"\s]+)/.exec(output)
    if (match !== null) announce(match[1])
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  // A failed assertion must not leave a server running after the test.
  onTestFinished(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  const listening = Promise.race([url, exit.then(() => { throw new Error(`server exited before listening:\n${output}`) })])
  // Awaited only by tests that expect the server to listen.
  listening.catch(() => {})
  return { exit, output: () => output, kill: (signal) => child.kill(signal), url: listening, pid: child.pid! }
}
