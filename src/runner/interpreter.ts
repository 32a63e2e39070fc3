import { toError } from '../errors.js'
import { toBoolean } from './boolean.js'
import { previewOutput } from './step-output.js'
import { stepKinds } from './steps/index.js'
import type { StepContext, StepOutcome } from './steps/step-kind.js'
import { evaluateTemplate, type EvaluationLimits } from './templates.js'
import type { CompiledScenario, CompiledStep, IoResult, RunError, RunState, SegmentResult, StepLogEntry } from './types.js'

export interface SegmentOptions {
  deadline: number
  limits?: EvaluationLimits
  /** The result of the I/O the previous segment stopped for. */
  io?: IoResult
}

/** A segment's options under the evaluator's own limits. Written out, not spread ("object spread" in docs/performance.md). */
export const withLimits = (options: SegmentOptions, limits: EvaluationLimits | undefined): SegmentOptions =>
  ({ deadline: options.deadline, io: options.io, limits })

/** Retries back off exponentially from the step's `backoffMs`, never longer than this. */
const MAX_BACKOFF_MS = 30_000
const DEFAULT_MAX_LOG_ENTRIES = 1000

function describe (step: CompiledStep): string {
  return step.name === undefined ? `${step.kind} step ${step.path}` : `${step.kind} step "${step.name}" (${step.path})`
}

/**
 * Runs a scenario from where `state` stands until it ends, fails, reaches its deadline or
 * needs main-thread I/O. `state` is updated in place and returned in the result.
 */
export async function runSegment (scenario: CompiledScenario, state: RunState, options: SegmentOptions): Promise<SegmentResult> {
  const maxLog = options.limits?.maxLogEntries ?? DEFAULT_MAX_LOG_ENTRIES
  const attempts = (state.attempts ??= {})
  const context: StepContext = {
    vars: state.vars,
    deadline: options.deadline,
    evaluate: (template) => evaluateTemplate(template, state.vars, options.limits)
  }

  const log = (step: CompiledStep, startedAt: number, status: StepLogEntry['status'], extra: Partial<StepLogEntry> = {}): void => {
    if (state.log.length >= maxLog) {
      state.logDropped = (state.logDropped ?? 0) + 1
      return
    }
    const entry: StepLogEntry = { kind: step.kind, path: step.path, startedAt, durationMs: Date.now() - startedAt, status, ...extra }
    if (step.name !== undefined) entry.name = step.name
    if (attempts[step.id] !== undefined) entry.attempt = attempts[step.id]
    state.log.push(entry)
  }

  /**
   * After `failing` failed: the nearest step, from it outwards through the steps whose bodies
   * contain it, that retries or handles the error decides what happens next.
   */
  const recover = async (failing: CompiledStep, error: RunError): Promise<SegmentResult | undefined> => {
    let candidate: CompiledStep | undefined = failing
    // The frame holding the candidate: the failing step sits in the top frame.
    let holder = state.frames.length - 1
    while (candidate !== undefined) {
      const attempt = attempts[candidate.id] ?? 1
      if (candidate.retry !== undefined && attempt < candidate.retry.attempts) {
        attempts[candidate.id] = attempt + 1
        state.frames.length = holder + 1
        state.frames[holder].next -= 1
        const backoff = Math.min(MAX_BACKOFF_MS, candidate.retry.backoffMs * 2 ** (attempt - 1))
        if (backoff === 0) return undefined
        state.pending = { step: candidate.id, startedAt: Date.now(), kind: candidate.kind, path: candidate.path, purpose: 'backoff' }
        return { type: 'io', state, io: { kind: 'delay', ms: backoff } }
      }
      delete attempts[candidate.id]
      if (candidate.onError !== undefined && candidate.onError !== 'fail') {
        state.frames.length = holder + 1
        if (candidate.onError === 'continue') return undefined
        state.vars.$error = { message: error.message, step: error.step }
        try {
          for (const [name, template] of candidate.onError.set) state.vars[name] = await context.evaluate(template)
        } catch (err) {
          return { type: 'failed', state, error: { message: `onError of ${describe(candidate)} failed: ${toError(err).message}`, step: candidate.path } }
        }
        return undefined
      }
      const owner = state.frames[holder]?.owner
      candidate = owner === undefined ? undefined : scenario.steps[owner]
      holder -= 1
    }
    return { type: 'failed', state, error }
  }

  const failed = async (step: CompiledStep, startedAt: number, err: unknown): Promise<SegmentResult | undefined> => {
    // A step that gives up at the run's deadline (a script's sandbox stops itself then) has not
    // failed: the run ran out of time, as if the deadline had stopped it from outside.
    if (Date.now() >= options.deadline) {
      log(step, startedAt, 'timed_out', { error: 'stopped at the deadline' })
      return { type: 'timed_out', state }
    }
    const message = toError(err).message
    log(step, startedAt, 'failed', { error: message })
    return await recover(step, { message: `${describe(step)} failed: ${message}`, step: step.path })
  }

  // Applies a step's outcome; returns a result when the segment stops here.
  const settle = (step: CompiledStep, startedAt: number, outcome: StepOutcome): SegmentResult | undefined => {
    switch (outcome.type) {
      case 'io':
        state.pending = { step: step.id, startedAt, kind: step.kind, path: step.path, purpose: 'io' }
        if (step.name !== undefined) state.pending.name = step.name
        return { type: 'io', state, io: outcome.io }
      case 'fail':
        log(step, startedAt, 'failed', { error: outcome.error.message })
        delete attempts[step.id]
        return { type: 'failed', state, error: { ...outcome.error, step: step.path, deliberate: true } }
      case 'end':
        log(step, startedAt, 'ok')
        state.frames = []
        return { type: 'done', state }
    }
    const output = previewOutput(outcome.output)
    log(step, startedAt, 'ok', output === undefined ? {} : { output })
    if (outcome.type === 'next') {
      delete attempts[step.id]
      return undefined
    }
    const loop = outcome.loop
    if (loop !== undefined) {
      if (loop.items.length === 0) return undefined
      state.vars[loop.as] = loop.items[0]
      state.frames.push({ list: outcome.list, next: 0, owner: step.id, loop: { items: loop.items, index: 0, as: loop.as } })
    } else {
      state.frames.push({ list: outcome.list, next: 0, owner: step.id })
    }
    return undefined
  }

  const pending = state.pending
  if (pending !== undefined) {
    state.pending = undefined
    const step = scenario.steps[pending.step]
    const io = options.io ?? { ok: false, error: 'no I/O result was delivered' }
    if (pending.purpose === 'io') {
      let stop: SegmentResult | undefined
      if (!io.ok) {
        stop = await failed(step, pending.startedAt, new Error(io.error))
      } else {
        try {
          stop = settle(step, pending.startedAt, await stepKinds.get(step.kind)!.resume!(step.config, context, io))
        } catch (err) {
          stop = await failed(step, pending.startedAt, err)
        }
      }
      if (stop !== undefined) return stop
    }
  }

  for (;;) {
    const frame = state.frames.at(-1)
    if (frame === undefined) return { type: 'done', state }
    const list = scenario.lists[frame.list]
    if (frame.next >= list.length) {
      const loop = frame.loop
      if (loop !== undefined && loop.index + 1 < loop.items.length) {
        loop.index += 1
        state.vars[loop.as] = loop.items[loop.index]
        frame.next = 0
        continue
      }
      state.frames.pop()
      if (frame.owner !== undefined) delete attempts[frame.owner]
      continue
    }
    // No step starts after the deadline.
    if (Date.now() >= options.deadline) return { type: 'timed_out', state }
    const step = scenario.steps[list[frame.next]]
    frame.next += 1
    const startedAt = Date.now()
    let stop: SegmentResult | undefined
    try {
      if (step.when !== undefined && !toBoolean(await context.evaluate(step.when))) {
        log(step, startedAt, 'skipped')
        continue
      }
      stop = settle(step, startedAt, await stepKinds.get(step.kind)!.run(step.config, context))
    } catch (err) {
      stop = await failed(step, startedAt, err)
    }
    if (stop !== undefined) return stop
  }
}

export function initialState (vars: RunState['vars']): RunState {
  return { vars, frames: [{ list: 0, next: 0 }], log: [] }
}
