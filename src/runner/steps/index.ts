import { delayStep } from './delay.js'
import { endStep } from './end.js'
import { ifStep } from './if.js'
import { scriptStep } from './script.js'
import { setStep } from './set.js'
import type { StepKind } from './step-kind.js'

/** Every step kind by name; a step is recognised by which of these keys it carries. */
export const stepKinds: ReadonlyMap<string, StepKind> = new Map(
  [setStep, ifStep, endStep, delayStep, scriptStep].map((kind) => [kind.kind, kind])
)
