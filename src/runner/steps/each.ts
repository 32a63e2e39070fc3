import type { Template } from '../templates.js'
import type { StepKind } from './step-kind.js'

interface EachConfig { items: Template, as: string, body: number, maxIterations: number }

export const DEFAULT_MAX_ITERATIONS = 10_000

/** JSONata's sequence rules: a single value is a one-item list, null or nothing an empty one. */
export function toSequence (value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? [...value] : [value]
}

/** `{ "each": "{% body.items %}", "as": "item", "steps": [...] }`, at most `maxIterations` items. */
export const eachStep: StepKind<{ each: unknown, as?: string, steps: unknown[], maxIterations?: number }, EachConfig> = {
  kind: 'each',
  compile: (raw, context, path) => ({
    items: context.template(raw.each, `${path}.each`),
    as: raw.as ?? 'item',
    body: context.list(raw.steps, `${path}.steps`),
    maxIterations: raw.maxIterations ?? DEFAULT_MAX_ITERATIONS
  }),
  children: (raw) => [['steps', raw.steps]],
  async run (config, { evaluate }) {
    const items = toSequence(await evaluate(config.items))
    if (items.length > config.maxIterations) {
      throw new Error(`each over ${items.length} items exceeds maxIterations (${config.maxIterations})`)
    }
    return { type: 'enter', list: config.body, output: { items: items.length }, loop: { items, as: config.as } }
  }
}
