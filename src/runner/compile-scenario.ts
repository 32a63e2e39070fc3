import { stepKinds } from './steps/index.js'
import type { CompileContext } from './steps/step-kind.js'
import { compileTemplate } from './templates.js'
import type { CompiledScenario, CompiledStep } from './types.js'

export interface ScenarioSource {
  timeoutMs?: number
  steps: unknown[]
}

/**
 * Flattens a scenario into numbered steps and step lists, with every expression compiled once.
 * Numbers rather than nesting let a run's position travel between threads as plain data.
 */
export function compileScenario (name: string, source: ScenarioSource, basePath = `scenarios.${name}`): CompiledScenario {
  const steps: CompiledStep[] = []
  const lists: number[][] = []

  const context: CompileContext = {
    template: compileTemplate,
    list (rawSteps, path) {
      const id = lists.length
      const list: number[] = []
      lists.push(list)
      rawSteps.forEach((raw, i) => list.push(compileStep(raw as Record<string, unknown>, `${path}[${i}]`)))
      return id
    }
  }

  function compileStep (raw: Record<string, unknown>, path: string): number {
    const kind = [...stepKinds.values()].find((candidate) => candidate.kind in raw)
    if (kind === undefined) throw new Error(`${path}: unknown step kind`)
    const id = steps.length
    const step: CompiledStep = { id, kind: kind.kind, path, config: null }
    steps.push(step)
    if (typeof raw.name === 'string') step.name = raw.name
    if (raw.when !== undefined) step.when = compileTemplate(raw.when, `${path}.when`)
    step.config = kind.compile(raw, context, path)
    return id
  }

  context.list(source.steps, `${basePath}.steps`)
  return { name, timeoutMs: source.timeoutMs, steps, lists }
}

export function compileScenarios (sources: Record<string, ScenarioSource>): Map<string, CompiledScenario> {
  return new Map(Object.entries(sources).map(([name, source]) => [name, compileScenario(name, source)]))
}
