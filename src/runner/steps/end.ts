import { z } from 'zod'
import type { StepKind } from './step-kind.js'

/** `{ "end": {} }`: the run succeeds here with the output variables as they are. */
export const endStep: StepKind<{ end: unknown }, null> = {
  kind: 'end',
  shape: () => ({ end: z.union([z.literal(true), z.object({}).strict()]) }),
  compile: () => null,
  run: async () => ({ type: 'end' })
}
