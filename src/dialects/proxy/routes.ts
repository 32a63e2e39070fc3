import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import type { ClientConfig } from '../../config/egress.js'
import type { Egress } from '../../egress/egress.js'
import { EgressError } from '../../egress/egress-error.js'
import { HttpError } from '../../errors.js'
import { routeSchema } from '../../http/route-schema.js'

export interface ProxyRoutesOptions {
  /** The egress and clients of the current config. */
  current: () => { egress: Egress, clients: readonly ClientConfig[] }
  bodyLimit: number
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** Hop-by-hop and framing headers of the upstream reply are ours to set. */
const NOT_RELAYED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'trailer', 'te', 'proxy-authenticate'])

/**
 * `ANY /api/proxy?url=…`: devices and front ends that must not reach the internet freely send
 * their calls here, with their client token; the egress policy decides what goes out, and the
 * reply comes back to them.
 */
export const proxyRoutes: FastifyPluginAsync<ProxyRoutesOptions> = async (app, { current, bodyLimit }) => {
  let knownFor: readonly ClientConfig[] | undefined
  let known: Array<{ client: ClientConfig, digest: Buffer }> = []
  // Digests are computed once per config version.
  const knownClients = (clients: readonly ClientConfig[]): typeof known => {
    if (knownFor !== clients) {
      known = clients.map((client) => ({ client, digest: digest(client.token) }))
      knownFor = clients
    }
    return known
  }

  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body))

  app.route<{ Querystring: { url?: string } }>({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/api/proxy',
    exposeHeadRoute: false,
    schema: routeSchema({
      summary: 'Forward a request to an allow-listed third party', tags: ['egress'], bearer: true,
      querystring: z.object({ url: z.string().describe('The target; must match one of the client\'s anchored allow-list patterns') }),
      responses: { 200: 'The third party\'s reply, as it came', 401: 'No or unknown client token', 403: 'URL not allowed or address refused' }
    }),
    async handler (request, reply) {
      if (request.headers.upgrade !== undefined) throw new HttpError(400, 'WebSocket (and other protocol) upgrades are not proxied')
      const { egress, clients } = current()
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
      let client: ClientConfig | undefined
      if (match !== null) {
        const presented = digest(match[1])
        for (const candidate of knownClients(clients)) if (timingSafeEqual(candidate.digest, presented)) client ??= candidate.client
      }
      if (client === undefined) {
        reply.header('www-authenticate', 'Bearer realm="hookflow-proxy"')
        throw new HttpError(401, 'missing or invalid client token')
      }
      const target = request.query.url
      if (typeof target !== 'string' || target === '') throw new HttpError(400, 'the url query parameter (the percent-encoded target URL) is required')

      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
      }
      // A caller that goes away takes its upstream call with it.
      const gone = new AbortController()
      reply.raw.once('close', () => { if (!reply.raw.writableEnded) gone.abort() })
      try {
        const upstream = await egress.send({
          method: request.method,
          url: target,
          headers,
          body: request.body as Buffer | undefined,
          identity: { 'x-hookflow-client-id': client.id },
          dropAuthorization: true
        }, gone.signal)
        reply.code(upstream.status)
        for (const [name, value] of Object.entries(upstream.headers)) if (!NOT_RELAYED.has(name.toLowerCase())) reply.header(name, value)
        return await reply.send(upstream.body)
      } catch (err) {
        if (!(err instanceof EgressError)) throw err
        const extra = err.message === 'url not allowed' && err.url !== undefined ? { url: err.url } : undefined
        throw new HttpError(err.status, err.message, { extra })
      }
    }
  })
}
