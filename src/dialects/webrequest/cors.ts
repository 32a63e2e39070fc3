import type { FastifyRequest } from 'fastify'
import type { FastifyCorsOptions } from '@fastify/cors'
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

export function corsForEndpoint (endpoints: EndpointStore) {
  return (request: FastifyRequest, callback: (error: Error | null, options: FastifyCorsOptions) => void): void => {
    const slug = (request.params as { slug?: string }).slug ?? ''
    const endpoint = endpoints.find(WEBREQUEST, slug)
    const cors = endpoint?.enabled === true ? endpoint.settings.cors as CorsConfig | undefined : undefined
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
