import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { HttpError } from '../errors.js'

/** How an error body looks on the wire; dialects keep the shapes their clients expect. */
export type ErrorBody = (message: string, extra?: Record<string, unknown>) => Record<string, unknown>

export const plainErrorBody: ErrorBody = (message, extra) => ({ error: message, ...extra })

/**
 * The message of a 4xx reaches the caller; a 5xx says only "Internal Server Error" (503 keeps
 * its message: it tells an operator what to switch on) and is logged whole.
 */
export function makeErrorHandler (body: ErrorBody = plainErrorBody) {
  return function handleError (error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply) {
    const status = error instanceof HttpError ? error.status : (error.statusCode ?? 500)
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed')
      return reply.code(status).send(body(status === 503 ? error.message : 'Internal Server Error'))
    }
    if (status === 401 || status === 403) request.log.warn({ status, reason: error.message }, 'request refused')
    return reply.code(status).send(body(error.message, error instanceof HttpError ? error.extra : undefined))
  }
}
