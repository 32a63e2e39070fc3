import { startBaselineB1 } from './baseline-server.js'
import { startHookflow } from './hookflow-server.js'
import type { RunningServer } from './server-process.js'

/** A server under test. Rounds run the targets in this order, so their noise interleaves. */
export interface Target {
  name: string
  label: string
  /** The reference the others' req/s are divided by. */
  baseline: boolean
  /** Hookflow targets must give each case's expected reply; B1 gives a fixed one. */
  checksReply: boolean
  start: (workDir: string) => Promise<RunningServer>
}

export const targets: Target[] = [
  { name: 'b1', label: 'B1 bare Fastify 5', baseline: true, checksReply: false, start: async () => await startBaselineB1() },
  { name: 'hookflow-main-thread', label: 'hookflow before (main-thread)', baseline: false, checksReply: true, start: async (dir) => await startHookflow('main-thread', dir) },
  { name: 'hookflow-hosts', label: 'hookflow after (hosts)', baseline: false, checksReply: true, start: async (dir) => await startHookflow('hosts', dir) }
]
