import { z } from 'zod'
import type { Template } from '../templates.js'
import type { StepKind } from './step-kind.js'

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

export const VariableName = z.string()
  .regex(/^\$?[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name (letters, digits, _; may start with $)')
  .refine((name) => !FORBIDDEN.has(name), { message: 'is a reserved name' })

/** `{ "name": value, … }`; keys are checked by hand, as zod's record silently drops "__proto__". */
export const Assignments = z.unknown().superRefine((assignments, ctx) => {
  if (assignments === null || typeof assignments !== 'object' || Array.isArray(assignments)) {
    ctx.addIssue({ code: 'custom', message: 'must be an object of variable names to values' })
    return
  }
  for (const name of Object.keys(assignments)) {
    const result = VariableName.safeParse(name)
    if (!result.success) ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" ${result.error.issues[0].message}` })
  }
})

/** `{ "set": { "name": value, … } }`: keys are assigned in order, so later keys see earlier ones. */
export const setStep: StepKind<{ set: Record<string, unknown> }, Array<[string, Template]>> = {
  kind: 'set',
  shape: () => ({ set: Assignments }),
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
