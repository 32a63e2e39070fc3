import { stepKinds } from './steps/index.js'

export type RawStep = Record<string, unknown>

/** The kind of a raw (validated) step: the one step-kind key it carries. */
export function kindOf (step: RawStep): string | undefined {
  return Object.keys(step).find((key) => stepKinds.has(key))
}

/** Visits every step of a step list, nested ones included, with its config path. */
export function forEachStep (steps: unknown[], path: string, visit: (step: RawStep, path: string) => void): void {
  steps.forEach((raw, i) => {
    const step = raw as RawStep
    const stepPath = `${path}[${i}]`
    visit(step, stepPath)
    const kind = kindOf(step)
    const children = kind === undefined ? undefined : stepKinds.get(kind)?.children
    for (const [key, list] of children?.(step) ?? []) forEachStep(list, `${stepPath}.${key}`, visit)
  })
}
