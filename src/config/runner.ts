import { availableParallelism } from 'node:os'
import { z } from 'zod'
import type { CompileOptions } from '../runner/compile-scenario.js'

/** Where and within what limits scenarios are evaluated. */
export const RunnerConfig = z.object({
  /**
   * `hosts` (default): evaluation runs in child processes that are killed at a run's deadline and
   * die alone past their heap cap. `main-thread` exists only to measure what isolation costs; a
   * runaway expression there stalls the whole server.
   */
  evaluateOn: z.enum(['hosts', 'main-thread']).default('hosts'),
  /**
   * Evaluate bounded scenarios — only set/if/switch/end/fail steps, with expressions from the
   * linear subset of JSONata — on the server's thread, without a round trip to a host.
   */
  inlineBounded: z.boolean().default(true),
  /** Most evaluation hosts at once: hosts start when segments wait that no running host can take. */
  hosts: z.number().int().min(1).max(64).default(Math.max(2, availableParallelism())),
  /**
   * Hosts started with the server (or a reload) and kept while idle. One by default, so the first
   * run after a quiet spell does not spend ~0.2 s of its deadline starting a host; 0 holds no host
   * memory until a run needs one.
   */
  minHosts: z.number().int().min(0).max(64).default(1),
  /** A host beyond `minHosts` that has evaluated nothing for this long exits. */
  hostIdleMs: z.number().int().min(100).max(86_400_000).default(60_000),
  /** Heap cap of each evaluation host. */
  hostHeapMb: z.number().int().min(64).max(16_384).default(512),
  /**
   * Scheduling niceness of the evaluation hosts (0 = the server's own, 19 = lowest): with cores
   * contended, the server's HTTP work goes first and a spinning scenario gets what is left.
   */
  hostNice: z.number().int().min(0).max(19).default(10),
  /** Largest value (as JSON) one expression may produce. */
  maxResultBytes: z.number().int().positive().default(16 * 1024 * 1024),
  /** Longest sequence one expression may build (`[1..n]`, mapping): JSONata stops it at once. */
  maxSequence: z.number().int().positive().default(1_000_000),
  /** Deepest expression evaluation nesting (recursion): JSONata stops it at once. */
  maxExpressionDepth: z.number().int().positive().default(2000),
  /** Memory cap of a script step's isolate, unless the step sets `memoryMb`. */
  scriptMemoryMb: z.number().int().min(8).max(1024).default(64),
  /** Longest chain of `emit`s from the run a request started. */
  maxEmitDepth: z.number().int().min(0).max(100).default(8),
  /** Step log entries kept per run (an `each` over many items would otherwise log without end). */
  maxLogEntries: z.number().int().min(10).max(100_000).default(1000),
  /** How deeply step lists may nest (if inside if inside …). */
  maxNestingDepth: z.number().int().min(1).max(256).default(32)
}).strict()

export type RunnerConfig = z.infer<typeof RunnerConfig>

/** What compiling scenarios needs from the runner section. */
export function compileOptionsOf (runner: RunnerConfig): CompileOptions {
  return {
    maxNestingDepth: runner.maxNestingDepth,
    scriptMemoryMb: runner.scriptMemoryMb,
    expressions: { maxSequence: runner.maxSequence, maxDepth: runner.maxExpressionDepth }
  }
}
