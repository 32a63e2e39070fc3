import { stepKinds } from './steps/index.js'
import { kindOf } from './walk-steps.js'
import type { CompileContext } from './steps/step-kind.js'
import type { ExpressionLimits } from './expressions.js'
import { compileTemplate, TemplateError } from './templates.js'
import type { CompiledScenario, CompiledStep, RetryPolicy } from './types.js'

type OnErrorSource = 'fail' | 'continue' | { set: Record<string, unknown> }

export interface ScenarioSource {
  timeoutMs?: number
  steps: unknown[]
}

/**
 * Flattens a scenario into numbered steps and step lists, with every expression compiled once.
 * Numbers rather than nesting let a run's position travel between threads as plain data.
 */
export interface CompileOptions {
  /** How deeply step lists may nest. */
  maxNestingDepth?: number
  expressions?: ExpressionLimits
  /** Memory cap of a script step that names none. */
  scriptMemoryMb?: number
}

export function compileScenario (name: string, source: ScenarioSource, options: CompileOptions = {}): CompiledScenario {
  const maxDepth = options.maxNestingDepth ?? 32
  const steps: CompiledStep[] = []
  const lists: number[][] = []
  let depth = 0

  const context: CompileContext = {
    template: (value, path) => compileTemplate(value, path, options.expressions),
    defaults: { scriptMemoryMb: options.scriptMemoryMb ?? 64 },
    list (rawSteps, path) {
      if (depth >= maxDepth) throw new TemplateError(path, `steps nest deeper than ${maxDepth} levels`)
      const id = lists.length
      const list: number[] = []
      lists.push(list)
      depth += 1
      rawSteps.forEach((raw, i) => list.push(compileStep(raw as Record<string, unknown>, `${path}[${i}]`)))
      depth -= 1
      return id
    }
  }

  function compileStep (raw: Record<string, unknown>, path: string): number {
    const name = kindOf(raw)
    const kind = name === undefined ? undefined : stepKinds.get(name)
    if (kind === undefined) throw new TemplateError(path, 'unknown step kind')
    const id = steps.length
    const step: CompiledStep = { id, kind: kind.kind, path, config: null }
    steps.push(step)
    if (typeof raw.name === 'string') step.name = raw.name
    if (raw.when !== undefined) step.when = compileTemplate(raw.when, `${path}.when`, options.expressions)
    const onError = raw.onError as OnErrorSource | undefined
    if (onError !== undefined) {
      step.onError = typeof onError === 'string'
        ? onError
        : { set: Object.entries(onError.set).map(([name, value]) => [name, compileTemplate(value, `${path}.onError.set.${name}`, options.expressions)]) }
    }
    if (raw.retry !== undefined) step.retry = raw.retry as RetryPolicy
    step.config = kind.compile(raw, context, path)
    return id
  }

  context.list(source.steps, `scenarios.${name}.steps`)
  return { name, timeoutMs: source.timeoutMs, steps, lists }
}

export function compileScenarios (sources: Record<string, ScenarioSource>, options: CompileOptions = {}): Map<string, CompiledScenario> {
  return new Map(Object.entries(sources).map(([name, source]) => [name, compileScenario(name, source, options)]))
}
