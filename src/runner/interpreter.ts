import { toError } from '../errors.js'
import { toBoolean } from './boolean.js'
import { previewOutput } from './step-output.js'
import { stepKinds } from './steps/index.js'
import type { StepContext, StepOutcome } from './steps/step-kind.js'
import { evaluateTemplate, type EvaluationLimits } from './templates.js'
import type { CompiledScenario, CompiledStep, IoResult, RunState, SegmentResult, StepLogEntry } from './types.js'

export interface SegmentOptions {
  deadline: number
  limits?: EvaluationLimits
  /** The result of the I/O the previous segment stopped for. */
  io?: IoResult
}

function describe (step: CompiledStep): string {
  return step.name === undefined ? `${step.kind} step ${step.path}` : `${step.kind} step "${step.name}" (${step.path})`
}

function logEntry (step: CompiledStep, startedAt: number, status: StepLogEntry['status'], extra: Partial<StepLogEntry> = {}): StepLogEntry {
  const entry: StepLogEntry = { kind: step.kind, path: step.path, startedAt, durationMs: Date.now() - startedAt, status, ...extra }
  if (step.name !== undefined) entry.name = step.name
  return entry
}

/**
 * Runs a scenario from where `state` stands until it ends, fails, reaches its deadline or
 * needs main-thread I/O. `state` is updated in place and returned in the result.
 */
export async function runSegment (scenario: CompiledScenario, state: RunState, options: SegmentOptions): Promise<SegmentResult> {
  const context: StepContext = {
    vars: state.vars,
    deadline: options.deadline,
    evaluate: async (template) => await evaluateTemplate(template, state.vars, options.limits)
  }

  const failed = (step: CompiledStep, startedAt: number, err: unknown): SegmentResult => {
    const message = toError(err).message
    state.log.push(logEntry(step, startedAt, 'failed', { error: message }))
    return { type: 'failed', state, error: { message: `${describe(step)} failed: ${message}`, step: step.path } }
  }

  // Applies a step's outcome; returns a result when the segment stops here.
  const settle = (step: CompiledStep, startedAt: number, outcome: StepOutcome): SegmentResult | undefined => {
    if (outcome.type === 'io') {
      state.pending = { step: step.id, startedAt, kind: step.kind, path: step.path }
      if (step.name !== undefined) state.pending.name = step.name
      return { type: 'io', state, io: outcome.io }
    }
    const output = outcome.type === 'end' ? undefined : previewOutput(outcome.output)
    state.log.push(logEntry(step, startedAt, 'ok', output === undefined ? {} : { output }))
    if (outcome.type === 'end') {
      state.frames = []
      return { type: 'done', state }
    }
    if (outcome.type === 'enter') state.frames.push({ list: outcome.list, next: 0 })
    return undefined
  }

  if (state.pending !== undefined) {
    const { step: id, startedAt } = state.pending
    state.pending = undefined
    const step = scenario.steps[id]
    const io = options.io ?? { ok: false, error: 'no I/O result was delivered' }
    if (!io.ok) return failed(step, startedAt, new Error(io.error))
    try {
      const outcome = await stepKinds.get(step.kind)!.resume!(step.config, context, io)
      const stop = settle(step, startedAt, outcome)
      if (stop !== undefined) return stop
    } catch (err) {
      return failed(step, startedAt, err)
    }
  }

  for (;;) {
    const frame = state.frames.at(-1)
    if (frame === undefined) return { type: 'done', state }
    const list = scenario.lists[frame.list]
    if (frame.next >= list.length) {
      state.frames.pop()
      continue
    }
    // No step starts after the deadline.
    if (Date.now() >= options.deadline) return { type: 'timed_out', state }
    const step = scenario.steps[list[frame.next]]
    frame.next += 1
    const startedAt = Date.now()
    try {
      if (step.when !== undefined && !toBoolean(await context.evaluate(step.when))) {
        state.log.push(logEntry(step, startedAt, 'skipped'))
        continue
      }
      const outcome = await stepKinds.get(step.kind)!.run(step.config, context)
      const stop = settle(step, startedAt, outcome)
      if (stop !== undefined) return stop
    } catch (err) {
      return failed(step, startedAt, err)
    }
  }
}

export function initialState (vars: RunState['vars']): RunState {
  return { vars, frames: [{ list: 0, next: 0 }], log: [] }
}
