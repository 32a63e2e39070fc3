import { request } from 'undici'
import type { HttpRequest } from '../runner/types.js'
import type { EgressPolicy } from './policy.js'

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[]>
  /** Parsed JSON when the reply says it is JSON, text for textual types, base64 otherwise. */
  body: unknown
}

export interface EgressClientOptions {
  policy: EgressPolicy
  maxResponseBytes: number
}

const isJson = (type: string): boolean => /^application\/([\w.+-]*\+)?json\b/i.test(type)
const isText = (type: string): boolean => /^text\/|^application\/(xml|[\w.+-]*\+xml|x-www-form-urlencoded|javascript)\b/i.test(type)

function encodeBody (body: unknown, headers: Record<string, string>): string | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return body
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
  return JSON.stringify(body)
}

/**
 * Outbound HTTP for scenarios, through the allow-list. Redirects are not followed; the reply is
 * read up to `maxResponseBytes`; the run's deadline and the call's own timeout both abort it.
 */
export function createEgressClient ({ policy, maxResponseBytes }: EgressClientOptions) {
  return async function callHttp (call: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const url = policy.check(call.url)
    const headers = { ...call.headers }
    const body = encodeBody(call.body, headers)
    const abort = AbortSignal.any([signal, AbortSignal.timeout(call.timeoutMs)])
    let res
    try {
      res = await request(url, { method: call.method as 'GET', headers, body, signal: abort })
    } catch (err) {
      if (signal.aborted) throw err
      if (abort.aborted) throw new Error(`${call.method} ${url.href} timed out after ${call.timeoutMs} ms`)
      throw new Error(`${call.method} ${url.href} failed: ${(err as Error).message}`)
    }
    const chunks: Buffer[] = []
    let size = 0
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length
        if (size > maxResponseBytes) {
          res.body.destroy()
          throw new Error(`${call.method} ${url.href}: reply is larger than ${maxResponseBytes} bytes`)
        }
        chunks.push(chunk as Buffer)
      }
    } catch (err) {
      if (abort.aborted && !signal.aborted) throw new Error(`${call.method} ${url.href} timed out after ${call.timeoutMs} ms`)
      throw err
    }
    const raw = Buffer.concat(chunks)
    const type = String(res.headers['content-type'] ?? '')
    let parsed: unknown = raw.toString('base64')
    if (raw.length === 0) parsed = null
    else if (isJson(type)) {
      try {
        parsed = JSON.parse(raw.toString('utf8'))
      } catch {
        parsed = raw.toString('utf8')
      }
    } else if (isText(type)) parsed = raw.toString('utf8')
    const headersOut: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headersOut[name] = value
    return { status: res.statusCode, headers: headersOut, body: parsed }
  }
}
