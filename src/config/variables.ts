import { z } from 'zod'
import { variableNameProblem } from '../runner/variable-name.js'

export const VariableName = z.string().superRefine((name, ctx) => {
  const problem = variableNameProblem(name)
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
})

/** `{ "name": value, … }`; keys are checked by hand, as zod's record silently drops "__proto__". */
export const Assignments = z.unknown().superRefine((assignments, ctx) => {
  if (assignments === null || typeof assignments !== 'object' || Array.isArray(assignments)) {
    ctx.addIssue({ code: 'custom', message: 'must be an object of variable names to values' })
    return
  }
  for (const name of Object.keys(assignments)) {
    const problem = variableNameProblem(name)
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" ${problem}` })
  }
})
