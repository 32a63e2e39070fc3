import { z } from 'zod'
import { expressionSource } from '../runner/expressions.js'
import { MAX_DELAY_MS } from '../runner/steps/delay.js'
import { METHODS } from '../runner/steps/http.js'
import { ACTIONS } from '../runner/steps/record.js'
import { Assignments, VariableName } from './variables.js'

/** The zod shape of a step kind's own keys; `steps` validates a nested step list. */
type StepShape = (steps: z.ZodType<unknown[]>) => z.ZodRawShape

/** A string that is a `{% … %}` expression, by the runner's own rule; `message` when it is not. */
const expression = (message: string) => z.string().refine((value) => expressionSource(value) !== undefined, message)

/**
 * The config keys of every step kind in runner/steps, by kind. Kept apart from the kinds
 * themselves because the evaluation hosts load those and need no config validation.
 */
export const stepShapes: Readonly<Record<string, StepShape>> = {
  set: () => ({ set: Assignments }),
  if: (steps) => ({ if: z.unknown(), then: steps, else: steps.optional() }),
  switch: (steps) => ({ switch: z.unknown(), cases: z.record(z.string(), steps), default: steps.optional() }),
  each: (steps) => ({
    each: z.unknown(),
    as: VariableName.default('item'),
    steps,
    maxIterations: z.number().int().min(1).max(1_000_000).optional()
  }),
  end: () => ({ end: z.union([z.literal(true), z.object({}).strict()]) }),
  fail: () => ({
    fail: z.object({ message: z.unknown(), $status: z.unknown().optional(), $body: z.unknown().optional() }).strict()
  }),
  delay: () => ({
    delay: z.union([
      z.number().int().min(0).max(MAX_DELAY_MS),
      expression('must be milliseconds or a {% expression %}')
    ])
  }),
  emit: () => ({ emit: z.string().min(1), input: z.unknown().optional(), as: VariableName.optional() }),
  http: () => ({
    http: z.object({
      method: z.union([z.enum(METHODS), expression(`must be one of ${METHODS.join(', ')} or a {% expression %}`)]).default('GET'),
      url: z.string().min(1),
      headers: z.record(z.string(), z.unknown()).optional(),
      body: z.unknown().optional(),
      timeoutMs: z.number().int().positive().max(60_000).optional()
    }).strict(),
    as: VariableName.optional(),
    failOnStatus: z.boolean().default(true)
  }),
  record: () => ({
    record: z.object({
      collection: z.string().min(1),
      action: z.enum(ACTIONS),
      values: z.unknown().optional(),
      filterByTk: z.unknown().optional(),
      filter: z.unknown().optional(),
      page: z.unknown().optional(),
      pageSize: z.unknown().optional(),
      sort: z.unknown().optional(),
      triggerWorkflows: z.boolean().default(false)
    }).strict(),
    as: VariableName.optional()
  }),
  script: () => ({
    script: z.union([z.string().min(1), z.object({ file: z.string().min(1) }).strict()], {
      error: 'must be JavaScript source, or { "file": "path relative to the config file" }'
    }),
    memoryMb: z.number().int().min(8).max(1024).optional()
  })
}
