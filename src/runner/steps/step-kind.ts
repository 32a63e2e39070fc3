import type { Template } from '../templates.js'
import type { IoRequest, IoResult, RunError, Vars } from '../types.js'

export interface CompileContext {
  template: (value: unknown, path: string) => Template
  /** Compiles a nested step list and returns its list id. */
  list: (steps: unknown[], path: string) => number
  defaults: { scriptMemoryMb: number }
}

export interface StepContext {
  vars: Vars
  /** Epoch ms when the run must stop. */
  deadline: number
  evaluate: (template: Template) => Promise<unknown>
}

export type StepOutcome =
  | { type: 'next', output?: unknown }
  | { type: 'enter', list: number, output?: unknown, loop?: { items: unknown[], as: string } }
  | { type: 'io', io: IoRequest }
  | { type: 'end' }
  /** A deliberate failure: ends the run, never retried or caught by `onError`. */
  | { type: 'fail', error: RunError }

/**
 * One step kind: how it compiles and how it runs (its config shape is in config/step-shapes.ts,
 * so the evaluation hosts, which load this, do not load zod). Steps that wait on I/O return
 * `{type: 'io'}` and get the result in `resume`, so the wait happens outside the evaluator.
 */
export interface StepKind<Raw = any, Compiled = any> {
  kind: string
  compile: (raw: Raw, context: CompileContext, path: string) => Compiled
  /** The nested step lists of a raw step, by the key that holds each (e.g. `then`, `else`). */
  children?: (raw: Raw) => Array<[string, unknown[]]>
  run: (config: Compiled, context: StepContext) => Promise<StepOutcome>
  resume?: (config: Compiled, context: StepContext, io: IoResult) => Promise<StepOutcome> | StepOutcome
}
