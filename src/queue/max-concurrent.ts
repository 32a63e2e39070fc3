import type { HookflowConfig } from '../config/schema.js'

/** `maxConcurrent` of every entry point that sets one, keyed `kind:endpoint`. */
export function maxConcurrentTable (config: HookflowConfig): Map<string, number> {
  const table = new Map<string, number>()
  const add = (kind: string, endpoint: string, max: number | undefined): void => { if (max !== undefined) table.set(`${kind}:${endpoint}`, max) }
  for (const endpoint of config.webrequests) add('webrequest', endpoint.slug, endpoint.maxConcurrent)
  for (const event of config.events) add('event', event.name, event.maxConcurrent)
  for (const workflow of config.workflows) add('workflow', workflow.key, workflow.maxConcurrent)
  return table
}
