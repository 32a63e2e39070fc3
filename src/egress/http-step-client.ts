import type { RunContext } from '../runner/io.js'
import type { HttpRequest } from '../runner/types.js'
import type { Egress } from './egress.js'
import { EgressError } from './egress-error.js'

export interface HttpStepReply {
  status: number
  headers: Record<string, string | string[]>
  /** Parsed JSON when the reply says it is JSON, text for textual types, base64 otherwise. */
  body: unknown
}

const isJson = (type: string): boolean => /^application\/([\w.+-]*\+)?json\b/i.test(type)
const isText = (type: string): boolean => /^text\/|^application\/(xml|[\w.+-]*\+xml|x-www-form-urlencoded|javascript)\b/i.test(type)

function decode (body: Buffer, type: string): unknown {
  if (body.length === 0) return null
  if (isJson(type)) {
    try {
      return JSON.parse(body.toString('utf8'))
    } catch {
      return body.toString('utf8')
    }
  }
  return isText(type) ? body.toString('utf8') : body.toString('base64')
}

/** The `http` step's I/O: the scenario's call through the egress, with the run's identity headers. */
export function createHttpStepClient (egress: Egress) {
  return async function callHttp (call: HttpRequest, run: RunContext, signal: AbortSignal): Promise<HttpStepReply> {
    const headers = { ...call.headers }
    let body: string | undefined
    if (call.body !== undefined && call.body !== null) {
      body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body)
      if (typeof call.body !== 'string' && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
    }
    const identity: Record<string, string> = { 'x-hookflow-run-id': String(run.runId) }
    if (run.endpoint !== undefined && run.endpoint !== null) identity['x-hookflow-endpoint'] = run.endpoint
    if (run.userId !== undefined && run.userId !== null) identity['x-hookflow-user-id'] = run.userId
    let reply
    try {
      reply = await egress.send({ method: call.method, url: call.url, headers, body, timeoutMs: call.timeoutMs, identity, dropAuthorization: false }, signal)
    } catch (err) {
      // The step log should say which URL, whatever went wrong with it.
      if (err instanceof EgressError && err.url !== undefined && !err.message.includes(err.url)) throw new Error(`${err.message}: ${err.url}`)
      throw err
    }
    return { status: reply.status, headers: reply.headers, body: decode(reply.body, String(reply.headers['content-type'] ?? '')) }
  }
}
