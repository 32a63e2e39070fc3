import type { HookflowConfig } from '../config/schema.js'
import type { RunStatus } from '../runs/types.js'
import type { RunStore } from '../storage/run-store.js'

/** One way in: what `serve` prints, `GET /api/admin/endpoints` lists and the console shows. */
export interface EntryPoint {
  kind: 'webrequest' | 'event' | 'collection' | 'workflow' | 'proxy'
  name: string
  /** The path a caller uses, relative to the server's base URL. */
  path: string
  scenario?: string
  enabled: boolean
  /** Ready-to-paste commands, with `{base}` where the server's URL goes. */
  examples: string[]
  collection?: string
  clients?: string[]
  /** Events without a token take local calls only. */
  localOnly?: boolean
}

/** Every configured entry point, in config order: web requests, events, collections, workflows, proxy. */
export function entryPointsOf (config: HookflowConfig): EntryPoint[] {
  const webrequests = config.webrequests.map((endpoint): EntryPoint => {
    const path = `/api/webrequest/${endpoint.slug}`
    return {
      kind: 'webrequest', name: endpoint.slug, path, scenario: endpoint.scenario, enabled: endpoint.enabled,
      examples: [
        `curl -X POST '{base}${path}' -H 'content-type: application/json' -d '{}'`,
        `curl -X POST '{base}${path}?async=true' -H 'content-type: application/json' -d '{}'`
      ]
    }
  })
  const events = config.events.map((event): EntryPoint => ({
    kind: 'event', name: event.name, path: '/api/event', scenario: event.scenario, enabled: event.enabled, localOnly: event.token === undefined,
    examples: [
      `curl -X POST '{base}/api/event' -d 'name=${encodeURIComponent(event.name)}&data=hello'`,
      ...event.token === undefined ? [] : [`hookflow send-event --url {base} --name '${event.name}' --data hello --token-file <token file>`]
    ]
  }))
  const collections = Object.keys(config.collections).map((name): EntryPoint => ({
    kind: 'collection', name, path: `/api/${name}:<action>`, enabled: true,
    examples: [
      `curl -X POST '{base}/api/${name}:create' -H 'Authorization: Bearer <user token>' -H 'content-type: application/json' -d '{}'`,
      `curl '{base}/api/${name}:list' -H 'Authorization: Bearer <user token>'`
    ]
  }))
  const workflows = config.workflows.map((workflow): EntryPoint => ({
    kind: 'workflow', name: workflow.key, path: `/api/${workflow.collection}:create?triggerWorkflows=${workflow.key}`,
    collection: workflow.collection, scenario: workflow.scenario, enabled: workflow.enabled,
    examples: [`curl -X POST '{base}/api/${workflow.collection}:create?triggerWorkflows=${workflow.key}' -H 'Authorization: Bearer <user token>' -H 'content-type: application/json' -d '{}'`]
  }))
  const proxy: EntryPoint[] = config.clients.length === 0
    ? []
    : [{
        kind: 'proxy', name: 'proxy', path: '/api/proxy', enabled: true, clients: config.clients.map((client) => client.id),
        examples: [`curl '{base}/api/proxy?url=<percent-encoded URL>' -H 'Authorization: Bearer <client token>'`]
      }]
  return [...webrequests, ...events, ...collections, ...workflows, ...proxy]
}

export const withBase = (example: string, base: string): string => example.replaceAll('{base}', base)

const DAY_MS = 86_400_000

/** Entry points that start runs, with their runs of the last 24 hours by status. */
export async function listEntryPoints (config: HookflowConfig, runs: RunStore) {
  const since = Date.now() - DAY_MS
  return await Promise.all(entryPointsOf(config).map(async (entry) => {
    const counted = entry.kind === 'webrequest' || entry.kind === 'event' || entry.kind === 'workflow'
    const runsLast24h: Partial<Record<RunStatus, number>> | undefined = counted ? await runs.countsByStatus(entry.kind, entry.name, since) : undefined
    return { ...entry, runsLast24h }
  }))
}
