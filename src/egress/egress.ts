import type { Agent, Dispatcher } from 'undici'
import type { EgressConfig } from '../config/egress.js'
import { createAddressGuard } from './address-guard.js'
import { EgressError } from './egress-error.js'
import { outboundHeaders } from './outbound-headers.js'
import { standardWebhookHeaders } from './sign.js'
import { createServiceMatcher, createUrlPolicy } from './url-policy.js'

export interface OutboundCall {
  method: string
  url: string
  /** What the caller asked to send; reserved ones are dropped. */
  headers: Record<string, string>
  body?: Buffer | string
  timeoutMs?: number
  /** X-Hookflow-* identity headers. */
  identity: Record<string, string>
  dropAuthorization: boolean
}

export interface OutboundReply {
  status: number
  headers: Record<string, string | string[]>
  body: Buffer
  /** The URL that answered (after redirects). */
  url: string
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

function contentTypeAllowed (allowed: readonly string[], header: string | undefined): boolean {
  const type = (header ?? '').split(';')[0].trim().toLowerCase()
  if (type === '') return false
  return allowed.some((entry) => entry.endsWith('/*') ? type.startsWith(entry.slice(0, -1)) : type === entry)
}

async function readCapped (body: Dispatcher.ResponseData['body'], max: number, url: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += (chunk as Buffer).length
    if (size > max) {
      body.destroy()
      throw new EgressError(502, `reply from upstream is larger than ${max} bytes`, url)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Protocol 1: the service answers `{"status": <int>, "body": <any>}`; the reply is that status and body. */
function unwrapProtocol1 (reply: OutboundReply): OutboundReply {
  let envelope: unknown
  try {
    envelope = JSON.parse(reply.body.toString('utf8'))
  } catch {
    throw new EgressError(502, 'service broke protocol 1: its reply is not JSON', reply.url)
  }
  const { status, body } = (envelope ?? {}) as { status?: unknown, body?: unknown }
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599 || !Object.hasOwn(envelope as object, 'body')) {
    throw new EgressError(502, 'service broke protocol 1: expected {"status": <integer>, "body": <any>}', reply.url)
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return { status, url: reply.url, headers: { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' }, body: Buffer.from(text) }
}

/**
 * The one door out, for `http` steps and `/api/proxy`: method, URL, port and content type are
 * checked against `egress`, the SSRF guard runs at connect time, reserved headers are replaced by
 * ours, a matching service's token is added (and only for its URLs), replies are capped in size
 * and time, and redirects are followed only when allowed — each hop checked again.
 */
export function createEgress (config: EgressConfig) {
  const checkUrl = createUrlPolicy(config)
  const guard = createAddressGuard(config.allowNetworks)
  const serviceFor = createServiceMatcher(config.services)
  // undici (~10 MB of the server's memory) loads with the first outbound call, not with a config
  // that may never make one; the first call waits for it once (tens of ms). A failed load (EMFILE
  // under a burst) is forgotten, so the next call tries again instead of failing until restart.
  let client: Promise<{ agent: Agent, request: typeof import('undici').request }> | undefined
  const loadClient = async () => {
    try {
      const undici = await import('undici')
      return { agent: new undici.Agent({ connect: { lookup: guard.lookup as never } }), request: undici.request }
    } catch (err) {
      client = undefined
      throw err
    }
  }

  async function send (call: OutboundCall, signal: AbortSignal): Promise<OutboundReply> {
    const method = call.method.toUpperCase()
    if (!(config.methods as readonly string[]).includes(method)) throw new EgressError(405, `method ${method} is not allowed (egress.methods)`)
    let url = checkUrl(call.url)
    guard.checkLiteral(url.hostname)
    const body = call.body === undefined || call.body.length === 0 ? undefined : call.body
    const callerType = Object.entries(call.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1]
    if (body !== undefined && !contentTypeAllowed(config.contentTypes, callerType)) {
      throw new EgressError(415, `content type ${JSON.stringify(callerType ?? 'none')} is not allowed (egress.contentTypes)`, url.href)
    }

    const timeoutMs = Math.min(call.timeoutMs ?? config.timeoutMs, config.timeoutMs)
    const abort = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
    let currentMethod = method
    let currentBody = body
    try {
      const { agent, request } = await (client ??= loadClient())
      for (let hop = 0; ; hop++) {
        const service = serviceFor(url)
        const headers = outboundHeaders({ caller: call.headers, dropAuthorization: call.dropAuthorization, fixed: config.headers, identity: call.identity, serviceToken: service?.token })
        if (config.sign !== undefined) Object.assign(headers, standardWebhookHeaders(config.sign.secret, currentBody?.toString() ?? ''))
        const res = await request(url, { method: currentMethod as Dispatcher.HttpMethod, headers, body: currentBody, signal: abort, dispatcher: agent })
        const location = res.headers.location
        if (REDIRECTS.has(res.statusCode) && typeof location === 'string' && hop < config.followRedirects) {
          res.body.resume()
          url = checkUrl(new URL(location, url).href)
          guard.checkLiteral(url.hostname)
          if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && currentMethod === 'POST')) {
            currentMethod = 'GET'
            currentBody = undefined
          }
          continue
        }
        const reply: OutboundReply = { status: res.statusCode, headers: res.headers as Record<string, string | string[]>, body: await readCapped(res.body, config.maxResponseBytes, url.href), url: url.href }
        return service?.protocol === 1 ? unwrapProtocol1(reply) : reply
      }
    } catch (err) {
      if (err instanceof EgressError || signal.aborted) throw err
      if (abort.aborted) throw new EgressError(504, `upstream did not answer within ${timeoutMs} ms`, url.href)
      // The SSRF guard's refusal arrives wrapped in a connection error.
      const cause = (err as { cause?: unknown }).cause ?? err
      if (cause instanceof EgressError) throw cause
      throw new EgressError(502, `upstream failed: ${(err as Error).message}`, url.href)
    }
  }

  return { send, close: async () => { if (client !== undefined) await (await client).agent.close() } }
}

export type Egress = ReturnType<typeof createEgress>
