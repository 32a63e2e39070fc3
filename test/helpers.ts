import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { parseConfig } from '../src/config/load-config.js'
import { createHookflow, type Hookflow } from '../src/hookflow.js'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'
export const VIEWER_TOKEN = 'test-viewer-token-0123456789'

export const adminAuth = { authorization: `Bearer ${ADMIN_TOKEN}` }
export const viewerAuth = { authorization: `Bearer ${VIEWER_TOKEN}` }

/** A config with admin tokens set, plus whatever the test adds. */
export function testConfig (extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    admin: { tokens: [{ token: ADMIN_TOKEN, role: 'admin' }, { token: VIEWER_TOKEN, role: 'viewer' }] },
    ...extra
  }
}

export interface TestApp extends Hookflow {}

/** A fresh hookflow on its own database (in memory unless a path is given). */
export async function buildTestApp (config: Record<string, unknown>, options: { dbPath?: string, dir?: string } = {}): Promise<TestApp> {
  const loaded = parseConfig(config, { env: {}, dir: options.dir })
  const hookflow = await createHookflow(loaded, { dbPath: options.dbPath ?? ':memory:', log: pino({ level: 'silent' }) })
  await hookflow.start()
  return hookflow
}

export function tempDir (prefix = 'hookflow-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T> (check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** The process ids of the evaluation hosts (child processes) of a test app. */
export function hostPids (hf: TestApp): number[] {
  return (hf.executor as unknown as { pids: () => number[] }).pids()
}

const clockTicks = 100

function cpuTicks (pid: number): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return 0
  }
}

/**
 * CPU milliseconds spent over `ms` by this process and the given host processes: proof that
 * stopped work is really gone rather than burning a core somewhere. (A host started to replace a
 * killed one is left out: booting is work, not a leftover.)
 */
export async function cpuMsOver (pids: number[], ms: number): Promise<number> {
  const before = process.cpuUsage()
  const hostsBefore = pids.map(cpuTicks)
  await new Promise((resolve) => setTimeout(resolve, ms))
  const own = process.cpuUsage(before)
  const hosts = pids.map(cpuTicks).reduce((sum, ticks, i) => sum + ticks - hostsBefore[i], 0)
  return (own.user + own.system) / 1000 + hosts * (1000 / clockTicks)
}

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
