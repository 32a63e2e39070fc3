import type { Template } from '../templates.js'
import type { RecordRequest } from '../types.js'
import type { StepKind } from './step-kind.js'

interface RecordConfig { request: Template, as?: string }

export const ACTIONS = ['create', 'update', 'get', 'list', 'destroy'] as const

/**
 * `{ "record": { "collection": "posts", "action": "create", "values": {…} }, "as": "post" }`:
 * reads or writes a collection from a scenario, with the same validation as the HTTP API. `as`
 * receives the record (for `list`, `{data, meta}`). A write runs the collection's global
 * workflows only with `"triggerWorkflows": true`, and chains of such writes are capped like emits.
 */
export const recordStep: StepKind<{ record: Record<string, unknown>, as?: string }, RecordConfig> = {
  kind: 'record',
  compile: (raw, context, path) => ({ request: context.template(raw.record, `${path}.record`), as: raw.as }),
  async run (config, { evaluate }) {
    const spec = await evaluate(config.request) as Record<string, unknown>
    const request: RecordRequest = {
      collection: String(spec.collection),
      action: spec.action as RecordRequest['action'],
      triggerWorkflows: spec.triggerWorkflows === true
    }
    for (const key of ['values', 'filterByTk', 'filter', 'page', 'pageSize', 'sort'] as const) {
      if (spec[key] !== undefined) (request as unknown as Record<string, unknown>)[key] = spec[key]
    }
    return { type: 'io', io: { kind: 'record', request } }
  },
  resume (config, { vars }, io) {
    const result = io.ok ? io.value as { data: unknown, meta?: unknown } : undefined
    const value = result === undefined ? undefined : result.meta === undefined ? result.data : result
    if (config.as !== undefined) vars[config.as] = value
    return { type: 'next', output: value }
  }
}
