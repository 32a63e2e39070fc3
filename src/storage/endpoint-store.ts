import type { Db } from './db.js'
import { indexEndpoints, type EndpointIndex } from './endpoint-index.js'
import type { Endpoint, EndpointStore } from './types.js'

export type { Endpoint, EndpointStore } from './types.js'

interface EndpointRow {
  kind: string
  slug: string
  title: string | null
  scenario: string
  enabled: number
  timeout_ms: number
  settings: string
}

/**
 * The endpoint registry: exactly what the config declares. Lookups are served from a snapshot
 * taken after each replace, since the table changes only then.
 */
export function createEndpointStore (db: Db): EndpointStore {
  const selectAll = db.prepare('SELECT * FROM endpoints ORDER BY kind, slug')
  const deleteAll = db.prepare('DELETE FROM endpoints')
  const insert = db.prepare(`INSERT INTO endpoints (kind, slug, title, scenario, enabled, timeout_ms, settings)
    VALUES (@kind, @slug, @title, @scenario, @enabled, @timeoutMs, @settings)`)

  const load = (): EndpointIndex => indexEndpoints((selectAll.all() as EndpointRow[]).map((row): Endpoint => ({
    kind: row.kind,
    slug: row.slug,
    title: row.title,
    scenario: row.scenario,
    enabled: row.enabled === 1,
    timeoutMs: row.timeout_ms,
    settings: JSON.parse(row.settings) as Record<string, unknown>
  })))

  let snapshot = load()

  return {
    /** Makes the registry exactly `endpoints`, in one transaction. */
    replaceAll: async (endpoints: Endpoint[]): Promise<void> => {
      db.transaction(() => {
        deleteAll.run()
        for (const endpoint of endpoints) {
          insert.run({ ...endpoint, enabled: endpoint.enabled ? 1 : 0, settings: JSON.stringify(endpoint.settings) })
        }
      }).immediate()
      snapshot = load()
    },
    find: (kind: string, slug: string): Endpoint | undefined => snapshot.find(kind, slug),
    list: async (): Promise<Endpoint[]> => snapshot.list()
  }
}

