import type { Template } from '../templates.js'
import type { HttpRequest } from '../types.js'
import type { StepKind } from './step-kind.js'

interface HttpConfig { request: Template, as?: string, failOnStatus: boolean }

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
const DEFAULT_TIMEOUT_MS = 10_000

/**
 * `{ "http": { "method", "url", "headers", "body", "timeoutMs" }, "as": "resp" }`: an outbound
 * call through the egress allow-list, made by the main thread (no evaluation host waits on it).
 * `as` receives `{status, headers, body}`. A reply status ≥ 400 fails the step unless
 * `"failOnStatus": false`.
 */
export const httpStep: StepKind<{ http: Record<string, unknown>, as?: string, failOnStatus?: boolean }, HttpConfig> = {
  kind: 'http',
  compile: (raw, context, path) => ({
    request: context.template(raw.http, `${path}.http`),
    as: raw.as,
    failOnStatus: raw.failOnStatus ?? true
  }),
  async run (config, { evaluate }) {
    const spec = await evaluate(config.request) as Record<string, unknown>
    const method = String(spec.method ?? 'GET').toUpperCase()
    if (!(METHODS as readonly string[]).includes(method)) throw new Error(`unsupported method ${JSON.stringify(method)}`)
    if (typeof spec.url !== 'string') throw new Error('http.url must evaluate to a string')
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(spec.headers as Record<string, unknown> ?? {})) {
      if (value !== undefined && value !== null) headers[name] = String(value)
    }
    const request: HttpRequest = { method, url: spec.url, headers, body: spec.body, timeoutMs: Number(spec.timeoutMs ?? DEFAULT_TIMEOUT_MS) }
    return { type: 'io', io: { kind: 'http', request } }
  },
  resume (config, { vars }, io) {
    const response = io.ok ? io.value as { status: number } : undefined
    if (config.as !== undefined) vars[config.as] = response
    if (response !== undefined && config.failOnStatus && response.status >= 400) {
      throw new Error(`reply status ${response.status}`)
    }
    return { type: 'next', output: response }
  }
}
