import { entryPointsOf, withBase } from '../admin/entry-point-list.js'
import type { HookflowConfig } from '../config/schema.js'

const TITLES = { webrequest: 'web request', event: 'event', collection: 'collection', workflow: 'workflow', proxy: 'proxy' } as const

/** Every configured entry point as a full URL with a curl line ready to paste. */
export function describeEntryPoints (config: HookflowConfig, base: string): string[] {
  return entryPointsOf(config).flatMap((entry) => [
    `${TITLES[entry.kind]} ${entry.kind === 'proxy' ? `for ${entry.clients!.length} client(s)` : entry.name}` +
      `${entry.enabled ? '' : ' (disabled)'}${entry.scenario === undefined ? '' : ` → ${entry.scenario}`}${entry.localOnly === true ? ' (local calls only)' : ''}`,
    ...entry.examples.map((example) => `  ${withBase(example, base)}`)
  ])
}
