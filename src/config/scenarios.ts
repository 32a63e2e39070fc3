import { z } from 'zod'
import { stepKinds } from '../runner/steps/index.js'
import { stepShapes } from './step-shapes.js'
import { Assignments } from './variables.js'

const CommonStepKeys = {
  name: z.string().min(1).max(100).optional(),
  /** The step runs only when this casts to true (JSONata's `$boolean`). */
  when: z.unknown().optional(),
  /** When the step (or a step inside it) fails: stop the run, go on, or set variables and go on. */
  onError: z.union([
    z.enum(['fail', 'continue']),
    z.object({ set: Assignments }).strict()
  ], { error: 'must be "fail", "continue" or { "set": { … } }' }).optional(),
  /** Tries the step again on failure; `attempts` counts every try, the first included. */
  retry: z.object({
    attempts: z.number().int().min(1).max(100),
    backoffMs: z.number().int().min(0).max(60_000).default(0)
  }).strict().optional()
}

export const StepList: z.ZodType<unknown[]> = z.lazy(() => z.array(StepConfig))

const schemaByKind = new Map([...stepKinds.keys()].map((kind) => {
  const shape = stepShapes[kind]
  // A step kind added to runner/steps without its config shape: fails every config load, and every test.
  if (shape === undefined) throw new Error(`step kind ${kind} has no config shape in config/step-shapes.ts`)
  return [kind, z.object({ ...CommonStepKeys, ...shape(StepList) }).strict()]
}))

const kindNames = [...schemaByKind.keys()].join(', ')

/**
 * A step is recognised by the one step-kind key it carries and validated against that kind's
 * shape, so a typo says "unknown step kind" rather than a union's wall of alternatives.
 */
export const StepConfig = z.unknown().superRefine((step, ctx) => {
  if (step === null || typeof step !== 'object' || Array.isArray(step)) {
    ctx.addIssue({ code: 'custom', message: 'a step must be an object' })
    return
  }
  const kinds = Object.keys(step).filter((key) => schemaByKind.has(key))
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: kinds.length === 0
        ? `unknown step kind (keys: ${Object.keys(step).join(', ') || 'none'}); expected one of: ${kindNames}`
        : `a step has exactly one kind, found: ${kinds.join(', ')}`
    })
    return
  }
  const result = schemaByKind.get(kinds[0])!.safeParse(step)
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path })
  }
})

export const ScenarioConfig = z.object({
  description: z.string().optional(),
  /** Time limit for async runs of this scenario (sync runs use the endpoint's). */
  timeoutMs: z.number().int().positive().max(24 * 3_600_000).default(300_000),
  steps: StepList
}).strict()

export const ScenarioName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, _ . -')

export const ScenariosConfig = z.record(ScenarioName, ScenarioConfig)

export type ScenarioConfig = z.infer<typeof ScenarioConfig>
