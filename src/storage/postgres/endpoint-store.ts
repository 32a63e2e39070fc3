import type { EndpointStore } from '../types.js'
import { indexEndpoints } from '../endpoint-index.js'
import { inTransaction, type PgPool } from './pool.js'

/**
 * The endpoint registry on a shared database. Each instance answers for the config it loaded
 * itself, so lookups come from what this instance wrote, not from whichever instance wrote last.
 */
export function createPgEndpointStore (pool: PgPool): EndpointStore {
  let snapshot = indexEndpoints([])
  return {
    async replaceAll (endpoints) {
      await inTransaction(pool, async (client) => {
        await client.query('DELETE FROM endpoints')
        if (endpoints.length === 0) return
        await client.query(`INSERT INTO endpoints (kind, slug, title, scenario, enabled, timeout_ms, settings)
          SELECT kind, slug, title, scenario, enabled, timeout_ms, settings
          FROM json_to_recordset($1::json) AS v(kind TEXT, slug TEXT, title TEXT, scenario TEXT, enabled SMALLINT, timeout_ms INTEGER, settings TEXT)`,
        [JSON.stringify(endpoints.map((endpoint) => ({
          kind: endpoint.kind,
          slug: endpoint.slug,
          title: endpoint.title,
          scenario: endpoint.scenario,
          enabled: endpoint.enabled ? 1 : 0,
          timeout_ms: endpoint.timeoutMs,
          settings: JSON.stringify(endpoint.settings)
        })))])
      })
      snapshot = indexEndpoints(endpoints)
    },
    find: (kind, slug) => snapshot.find(kind, slug),
    list: async () => snapshot.list()
  }
}
