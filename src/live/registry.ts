import type { HookflowConfig } from '../config/schema.js'
import { eventEndpoint } from '../dialects/event/endpoint.js'
import { webRequestEndpoint } from '../dialects/webrequest/endpoint.js'
import type { Endpoint } from '../storage/endpoint-store.js'

/** The endpoint registry rows a config declares. */
export const registryOf = (config: HookflowConfig): Endpoint[] =>
  [...config.webrequests.map(webRequestEndpoint), ...config.events.map(eventEndpoint)]
