import { join } from 'node:path'
import { startBaselineB1, startBaselineB2 } from './baseline-server.js'
import type { BenchPgDatabase } from './bench-postgres.js'
import { startHookflow, startHookflowGroup } from './hookflow-server.js'
import type { RunningServer } from './server-process.js'

export interface StartContext {
  /** A fresh folder per case: every case starts its servers on empty databases. */
  workDir: string
  /** The prepared catalog of 1 000 000 runs (built once per bench run, on first use). */
  catalog1m: () => Promise<string>
  /** A new database in the case's PostgreSQL cluster (started on first use, stopped with the case). */
  postgresDatabase: (name: string) => Promise<BenchPgDatabase>
}

/** A server under test. A case's rows name the target they drive; each target is started once per case. */
export interface Target {
  name: string
  label: string
  start: (context: StartContext) => Promise<RunningServer>
}

export const b1: Target = {
  name: 'b1', label: 'B1 bare Fastify 5', start: async () => await startBaselineB1()
}

export const b2: Target = {
  name: 'b2', label: 'B2 Fastify 5 + SQLite insert', start: async ({ workDir }) => await startBaselineB2(workDir)
}

/** The default config (`runner.evaluateOn: "hosts"`): the headline figures. */
export const hookflow: Target = {
  name: 'hookflow',
  label: 'hookflow (hosts)',
  start: async ({ workDir }) => await startHookflow('hookflow (hosts)', 'hosts', workDir, { sqlite: join(workDir, 'hookflow.db') })
}

/** Evaluation on the server's thread: kept for case 1, to show what isolation costs. */
export const hookflowMainThread: Target = {
  name: 'hookflow-main-thread',
  label: 'hookflow (main-thread)',
  start: async ({ workDir }) => await startHookflow('hookflow (main-thread)', 'main-thread', workDir, { sqlite: join(workDir, 'hookflow-main-thread.db') })
}

/** The default config on a catalog that already holds 1 000 000 finished runs. */
export const hookflow1m: Target = {
  name: 'hookflow-1m',
  label: 'hookflow (hosts), 1M-run catalog',
  start: async ({ workDir, catalog1m }) => await startHookflow('hookflow (1M-run catalog)', 'hosts', workDir, { sqlite: await catalog1m() })
}

/** The default config on PostgreSQL: `instances` processes on one fresh database of the case's cluster (case 8). */
export function hookflowPostgres (instances: number): Target {
  const name = `hookflow-pg-${instances}`
  const label = `hookflow (hosts), PostgreSQL, ${instances} instance${instances === 1 ? '' : 's'}`
  return {
    name,
    label,
    start: async ({ workDir, postgresDatabase }) => await startHookflowGroup(label, instances, workDir, await postgresDatabase(name))
  }
}
