import cors, { type FastifyCorsOptions } from '@fastify/cors'
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'
import type { CorsConfig } from '../../config/webrequests.js'
import type { EndpointStore } from '../../storage/endpoint-store.js'
import { WEBREQUEST } from './endpoint.js'

/**
 * CORS per endpoint: only endpoints that declare `cors` get headers and preflight answers; a
 * preflight to any other endpoint gets a bare 204 (so the browser refuses the call) and runs
 * nothing. An OPTIONS request that is not a preflight runs the scenario like any other method.
 */
/** A CORS preflight: OPTIONS carrying Origin and Access-Control-Request-Method. */
export const isPreflight = (request: FastifyRequest): boolean =>
  request.method === 'OPTIONS' && request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined

type CorsDelegator = (request: FastifyRequest, callback: (error: Error | null, options: FastifyCorsOptions) => void) => void
type Done = (err?: Error) => void

const policyOf = (endpoints: EndpointStore, request: FastifyRequest): CorsConfig | undefined => {
  const endpoint = endpoints.find(WEBREQUEST, (request.params as { slug?: string }).slug ?? '')
  return endpoint?.enabled === true ? endpoint.settings.cors as CorsConfig | undefined : undefined
}

/**
 * The onRequest hook of the web-request route: @fastify/cors's own hook, run only for endpoints
 * with a policy. Registered as a plugin, its hook ran for every request — asking the delegator,
 * normalising the options it gave and setting `Vary: Origin` also where no policy exists: ~8 % of
 * case 1's server thread in `npm run bench` (docs/performance.md). So the plugin is handed a
 * stand-in instance that keeps the hook it adds; preflights reach the route itself (it takes
 * OPTIONS), which the plugin's catch-all OPTIONS route was for.
 */
export function corsHookFor (endpoints: EndpointStore): (request: FastifyRequest, reply: FastifyReply, done: Done) => void {
  const hook = pluginHook(corsDelegator(endpoints))
  return function corsIfPolicy (this: unknown, request, reply, done) {
    if (policyOf(endpoints, request) === undefined) { done(); return }
    hook.call(this as never, request, reply, done)
  }
}

function pluginHook (delegator: CorsDelegator): onRequestHookHandler {
  let hook: onRequestHookHandler | undefined
  const instance = {
    decorateRequest () {},
    addHook (name: string, handler: onRequestHookHandler) { if (name === 'onRequest') hook = handler },
    options () {}
  }
  ;(cors as unknown as (instance: unknown, options: object, done: (err?: Error) => void) => void)(instance, { delegator }, (err) => { if (err !== undefined) throw err })
  if (hook === undefined) throw new Error('@fastify/cors added no onRequest hook')
  return hook
}

function corsDelegator (endpoints: EndpointStore): CorsDelegator {
  return (request, callback) => {
    const cors = policyOf(endpoints, request)
    if (cors === undefined) {
      callback(null, { origin: false })
      return
    }
    callback(null, {
      origin: cors.origins.includes('*') ? '*' : cors.origins,
      methods: cors.methods,
      allowedHeaders: cors.headers.length > 0 ? cors.headers : undefined,
      exposedHeaders: cors.exposeHeaders,
      credentials: cors.credentials,
      maxAge: cors.maxAgeSec,
      preflight: isPreflight(request),
      strictPreflight: false
    })
  }
}
