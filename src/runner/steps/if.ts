import { toBoolean } from '../boolean.js'
import type { Template } from '../templates.js'
import type { StepKind } from './step-kind.js'

interface IfConfig { condition: Template, then: number, else?: number }

/** `{ "if": cond, "then": [...], "else": [...] }`; the condition is cast like `$boolean`. */
export const ifStep: StepKind<{ if: unknown, then: unknown[], else?: unknown[] }, IfConfig> = {
  kind: 'if',
  compile: (raw, context, path) => ({
    condition: context.template(raw.if, `${path}.if`),
    then: context.list(raw.then, `${path}.then`),
    else: raw.else === undefined ? undefined : context.list(raw.else, `${path}.else`)
  }),
  children: (raw) => raw.else === undefined ? [['then', raw.then]] : [['then', raw.then], ['else', raw.else]],
  async run (config, { evaluate }) {
    const truthy = toBoolean(await evaluate(config.condition))
    const list = truthy ? config.then : config.else
    return list === undefined ? { type: 'next', output: truthy } : { type: 'enter', list, output: truthy }
  }
}
