import { delayStep } from './delay.js'
import { eachStep } from './each.js'
import { emitStep } from './emit.js'
import { endStep } from './end.js'
import { failStep } from './fail.js'
import { httpStep } from './http.js'
import { ifStep } from './if.js'
import { recordStep } from './record.js'
import { scriptStep } from './script.js'
import { setStep } from './set.js'
import type { StepKind } from './step-kind.js'
import { switchStep } from './switch.js'

/** Every step kind by name; a step is recognised by which of these keys it carries. */
export const stepKinds: ReadonlyMap<string, StepKind> = new Map(
  [setStep, ifStep, switchStep, eachStep, endStep, failStep, delayStep, emitStep, httpStep, recordStep, scriptStep].map((kind) => [kind.kind, kind])
)
