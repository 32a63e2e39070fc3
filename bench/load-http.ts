import autocannon from 'autocannon'
import { isDeepStrictEqual } from 'node:util'
import type { LoadDriver } from './cases/bench-case.js'

export interface HttpRequestSpec {
  method: 'GET' | 'POST'
  /** Path and query string. */
  path: string
  headers?: Record<string, string>
  body?: string
}

export interface HttpExpectation {
  status: number
  /** The exact reply body (parsed as JSON when it is JSON), or a check that returns a problem. */
  body?: unknown
  check?: (body: unknown) => string | undefined
  /** Headers that must be present. */
  headers?: string[]
}

async function verifyRequest (baseUrl: string, request: HttpRequestSpec, expect: HttpExpectation): Promise<void> {
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body })
  const text = await response.text()
  let parsed: unknown
  try { parsed = JSON.parse(text) } catch { parsed = text }
  const problems: string[] = []
  if (response.status !== expect.status) problems.push(`status ${response.status}, expected ${expect.status}`)
  if ('body' in expect && !isDeepStrictEqual(parsed, expect.body)) problems.push(`body differs, expected ${JSON.stringify(expect.body)}`)
  const checked = expect.check?.(parsed)
  if (checked !== undefined) problems.push(checked)
  for (const header of expect.headers ?? []) {
    if (!response.headers.has(header)) problems.push(`no ${header} header`)
  }
  if (problems.length > 0) {
    throw new Error(`${request.method} ${request.path} answered ${response.status} ${text.slice(0, 300)}: ${problems.join('; ')}`)
  }
}

/**
 * One HTTP request repeated by autocannon (programmatic API), pipelining 1. Without an
 * expectation (the baselines) any 200 passes the check before measuring.
 *
 * Several instances (case 8) are driven by one autocannon given all their URLs: it hands its
 * connections out round-robin (connection i to URL i mod n, so 50 over 3 is 17/17/16). That
 * keeps one latency histogram over every request, so p50 and p99 are those of the whole
 * target, not the worst of three separate runs; req/s is the total; and the three shares start
 * and stop together. Splitting into three autocannon runs would gain nothing: all of them would
 * share the bench's event loop anyway.
 */
export function httpLoad (request: HttpRequestSpec, expect: HttpExpectation = { status: 200 }): LoadDriver {
  return {
    unit: 'req',
    verify: async (baseUrl) => await verifyRequest(baseUrl, request, expect),
    run: async (baseUrls, connections, durationSec) => {
      const urls = baseUrls.map((baseUrl) => `${baseUrl}${request.path}`)
      const result = await autocannon({
        // @types/autocannon says string; autocannon 8 takes a list too (lib/run.js, `ofURL`).
        url: (urls.length === 1 ? urls[0] : urls) as string,
        method: request.method,
        headers: request.headers,
        body: request.body,
        connections,
        pipelining: 1,
        duration: durationSec
      })
      return {
        perSec: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        completed: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts
      }
    }
  }
}
