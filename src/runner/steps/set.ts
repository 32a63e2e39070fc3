import type { Template } from '../templates.js'
import type { StepKind } from './step-kind.js'

/** `{ "set": { "name": value, … } }`: keys are assigned in order, so later keys see earlier ones. */
export const setStep: StepKind<{ set: Record<string, unknown> }, Array<[string, Template]>> = {
  kind: 'set',
  compile: (raw, context, path) =>
    Object.entries(raw.set).map(([name, value]) => [name, context.template(value, `${path}.set.${name}`)]),
  async run (assignments, { vars, evaluate }) {
    const assigned: Record<string, unknown> = {}
    for (const [name, template] of assignments) {
      const value = await evaluate(template)
      vars[name] = value
      assigned[name] = value
    }
    return { type: 'next', output: assigned }
  }
}
