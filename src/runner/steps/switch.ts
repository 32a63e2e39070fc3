import type { Template } from '../templates.js'
import type { StepKind } from './step-kind.js'

interface SwitchConfig { value: Template, cases: Record<string, number>, default?: number }

/** The case key a value selects: strings as they are, anything else as its JSON text. */
export const caseKey = (value: unknown): string | undefined =>
  value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value)

/** `{ "switch": expr, "cases": { "a": [...] }, "default": [...] }`; compared as strings. */
export const switchStep: StepKind<{ switch: unknown, cases: Record<string, unknown[]>, default?: unknown[] }, SwitchConfig> = {
  kind: 'switch',
  compile: (raw, context, path) => ({
    value: context.template(raw.switch, `${path}.switch`),
    // A null-prototype map: a case named "constructor" or "__proto__" is just a key.
    cases: Object.assign(Object.create(null) as Record<string, number>,
      Object.fromEntries(Object.entries(raw.cases).map(([key, steps]) => [key, context.list(steps, `${path}.cases.${key}`)]))),
    default: raw.default === undefined ? undefined : context.list(raw.default, `${path}.default`)
  }),
  children: (raw) => [
    ...Object.entries(raw.cases).map(([key, steps]): [string, unknown[]] => [`cases.${key}`, steps]),
    ...(raw.default === undefined ? [] : [['default', raw.default] as [string, unknown[]]])
  ],
  async run (config, { evaluate }) {
    const key = caseKey(await evaluate(config.value))
    const list = key !== undefined && key in config.cases ? config.cases[key] : config.default
    const output = { case: list === config.default && !(key !== undefined && key in config.cases) ? 'default' : key }
    return list === undefined ? { type: 'next', output } : { type: 'enter', list, output }
  }
}
