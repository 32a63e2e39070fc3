import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino, { type Logger } from 'pino'
import { parseConfig } from '../src/config/load-config.js'
import { createHookflow, type Hookflow } from '../src/hookflow.js'
import { DatabaseConfig } from '../src/config/database.js'
import { openStorage, type Storage } from '../src/storage/open-storage.js'
import { createPgPool, type PgPool } from '../src/storage/postgres/pool.js'
import { freshPgDatabase, type PgDatabase } from './support/pg-database.js'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'
export const VIEWER_TOKEN = 'test-viewer-token-0123456789'

export const adminAuth = { authorization: `Bearer ${ADMIN_TOKEN}` }
export const viewerAuth = { authorization: `Bearer ${VIEWER_TOKEN}` }

/** A config with admin tokens set, plus whatever the test adds. */
export function testConfig (extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    admin: { tokens: [{ token: ADMIN_TOKEN, role: 'admin' }, { token: VIEWER_TOKEN, role: 'viewer' }] },
    ...extra,
    // Test files run two at a time: hosts at a lower priority than the other file's process would
    // get a tenth of a busy core, and timing-bound tests would fail for that alone.
    runner: { hostNice: 0, ...(extra.runner as Record<string, unknown> | undefined) }
  }
}

export interface TestApp extends Hookflow {}

export type TestBackend = 'sqlite' | 'postgres'
let backend: TestBackend = 'sqlite'

/**
 * Runs the test files imported after this call on `backend` (see test/postgres/): every app
 * buildTestApp makes, and every sql() query, then use it.
 */
export function useBackend (next: TestBackend): void { backend = next }
export const testBackend = (): TestBackend => backend

/** On PostgreSQL, a `dbPath` names a database: apps built with the same path share it (restarts). */
const pgDatabases = new Map<string, Promise<PgDatabase>>()
const pgPools = new WeakMap<Hookflow, PgPool>()

async function pgDatabaseOf (dbPath: string): Promise<PgDatabase> {
  let database = pgDatabases.get(dbPath)
  if (database === undefined) {
    database = freshPgDatabase()
    pgDatabases.set(dbPath, database)
  }
  return await database
}

/**
 * The stores of the database `dbPath` names, with no server running on it: to write what a
 * previous process would have left behind.
 */
export async function withStorage (dbPath: string, work: (storage: Storage) => Promise<void>): Promise<void> {
  const target = backend === 'sqlite' ? { dbPath } : { url: (await pgDatabaseOf(dbPath)).url }
  const storage = await openStorage(DatabaseConfig.parse({}), { ...target, randid: { ttlMs: 3000, maxOutstanding: 100 } })
  try {
    await work(storage)
    await storage.runs.flush()
  } finally {
    await storage.close()
  }
}

/** A fresh hookflow on its own database (in memory unless a path is given). */
export async function buildTestApp (config: Record<string, unknown>, options: { dbPath?: string, dir?: string, log?: Logger } = {}): Promise<TestApp> {
  const loaded = parseConfig(config, { env: {}, dir: options.dir })
  const log = options.log ?? pino({ level: 'silent' })
  if (backend === 'sqlite') {
    const hookflow = await createHookflow(loaded, { dbPath: options.dbPath ?? ':memory:', log })
    await hookflow.start()
    return hookflow
  }
  const shared = options.dbPath !== undefined
  const { url, drop } = await (shared ? pgDatabaseOf(options.dbPath!) : freshPgDatabase())
  const hookflow = await createHookflow(loaded, { databaseUrl: url, log })
  const pool = createPgPool(url, 2)
  pgPools.set(hookflow, pool)
  const close = hookflow.close.bind(hookflow)
  hookflow.close = async () => {
    await close()
    await pool.end()
    if (!shared) await drop()
  }
  await hookflow.start()
  return hookflow
}

/** Rows of a query on the app's database; `?` placeholders work on both backends. */
export async function sql<T = Record<string, unknown>> (hf: Hookflow, text: string, ...args: unknown[]): Promise<T[]> {
  if (hf.storage.sqlite !== undefined) return hf.storage.sqlite.prepare(text).all(...args) as T[]
  let n = 0
  const { rows } = await pgPools.get(hf)!.query(text.replace(/\?/g, () => `$${++n}`), args)
  return rows as T[]
}

/**
 * Makes the app's database refuse writes (SQLite: query_only; PostgreSQL: a read-only default,
 * picked up by ending its connections); returns the undo.
 */
export async function refuseWrites (hf: Hookflow): Promise<() => Promise<void>> {
  const sqlite = hf.storage.sqlite
  if (sqlite !== undefined) {
    sqlite.pragma('query_only = ON')
    return async () => { sqlite.pragma('query_only = OFF') }
  }
  const pool = pgPools.get(hf)!
  const name = (await pool.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db
  const reconnectAll = async (): Promise<void> => {
    await pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])
  }
  // The name is the one freshPgDatabase made (hex): safe to splice, as identifiers cannot be bound.
  await pool.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`)
  await reconnectAll()
  return async () => {
    await pool.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`)
    await reconnectAll()
  }
}

/** The first column of the first row (a count, a status), or undefined. */
export async function sqlValue<T = unknown> (hf: Hookflow, text: string, ...args: unknown[]): Promise<T> {
  const [row] = await sql(hf, text, ...args)
  return (row === undefined ? undefined : Object.values(row)[0]) as T
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
