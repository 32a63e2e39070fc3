import type { StepKind } from './step-kind.js'

/** `{ "end": {} }`: the run succeeds here with the output variables as they are. */
export const endStep: StepKind<{ end: unknown }, null> = {
  kind: 'end',
  compile: () => null,
  run: async () => ({ type: 'end' })
}
