import { formatPath } from '../config/format-issues.js'
import { stepKinds } from './steps/index.js'

export type RawStep = Record<string, unknown>

/** The kind of a raw (validated) step: the one step-kind key it carries. */
export function kindOf (step: RawStep): string | undefined {
  return Object.keys(step).find((key) => stepKinds.has(key))
}

/** Visits every step of a step list, nested ones included, with its path as a list of keys. */
export function forEachStepAt (steps: unknown[], path: PropertyKey[], visit: (step: RawStep, path: PropertyKey[]) => void): void {
  // Also called on configs that failed validation elsewhere: skip what is not a step list.
  if (!Array.isArray(steps)) return
  steps.forEach((raw, i) => {
    if (raw === null || typeof raw !== 'object') return
    const step = raw as RawStep
    const stepPath = [...path, i]
    visit(step, stepPath)
    const kind = kindOf(step)
    const children = kind === undefined ? undefined : stepKinds.get(kind)?.children
    for (const [key, list] of children?.(step) ?? []) forEachStepAt(list, [...stepPath, ...key.split('.')], visit)
  })
}

/** The same, with the path written out (`scenarios.a.steps[1].then[0]`). */
export function forEachStep (steps: unknown[], path: string, visit: (step: RawStep, path: string) => void): void {
  forEachStepAt(steps, [], (step, at) => visit(step, path + formatPath(at).replace(/^(?!\[)/, '.')))
}
