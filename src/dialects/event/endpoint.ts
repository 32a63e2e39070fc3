import type { EventConfig } from '../../config/events.js'
import type { Endpoint } from '../../storage/endpoint-store.js'

/** The registry kind of events. */
export const EVENT = 'event'

/** The registry entry of an event; the token stays in memory, never in the database. */
export function eventEndpoint (config: EventConfig): Endpoint {
  return {
    kind: EVENT,
    slug: config.name,
    title: config.title ?? null,
    scenario: config.scenario,
    enabled: config.enabled,
    timeoutMs: config.timeoutMs,
    settings: { remote: config.token !== undefined, maxConcurrent: config.maxConcurrent, retry: config.retry }
  }
}
