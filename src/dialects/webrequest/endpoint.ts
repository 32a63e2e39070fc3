import type { RetryConfig } from '../../config/queue.js'
import type { CorsConfig, WebRequestConfig } from '../../config/webrequests.js'
import type { Endpoint } from '../../storage/endpoint-store.js'

/** The registry kind of web-request endpoints. */
export const WEBREQUEST = 'webrequest'

export interface WebRequestSettings {
  cors?: CorsConfig
  onTimeout: 'abort' | 'continue'
  maxConcurrent?: number
  retry?: RetryConfig
  history?: 'all' | 'errors' | 'none'
}

export function webRequestEndpoint (config: WebRequestConfig): Endpoint {
  const settings: WebRequestSettings = { onTimeout: config.onTimeout, maxConcurrent: config.maxConcurrent, retry: config.retry, history: config.history }
  if (config.cors !== undefined) settings.cors = config.cors
  return {
    kind: WEBREQUEST,
    slug: config.slug,
    title: config.title ?? null,
    scenario: config.scenario,
    enabled: config.enabled,
    timeoutMs: config.timeoutMs,
    settings: { ...settings }
  }
}
