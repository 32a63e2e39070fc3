import type { RunOutcome } from '../runner/run-scenario.js'
import type { Vars } from '../runner/types.js'
import { redactInput } from './redact.js'
import { checkOutcome, outputOf } from './reply.js'
import type { RunResult } from './types.js'

/** What the catalog keeps of an ended run: input redacted, output variables, error, step log. */
export function runResult (input: Vars, outcome: RunOutcome, finishedAt = Date.now()): RunResult {
  const checked = checkOutcome(outcome)
  return {
    status: checked.status,
    input: redactInput(input),
    output: outputOf(checked.vars),
    error: checked.error ?? null,
    steps: checked.log,
    finishedAt
  }
}
