import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { HttpError, storageUnavailable } from '../errors.js'

/** How an error body looks on the wire; dialects keep the shapes their clients expect. */
export type ErrorBody = (message: string, extra?: Record<string, unknown>) => Record<string, unknown>

export const plainErrorBody: ErrorBody = (message, extra) => ({ error: message, ...extra })

/**
 * An HttpError's message was written for the caller and reaches it (a 502 saying what the
 * upstream did wrong, a 503 saying what to switch on); any other 5xx says only "Internal Server
 * Error" and is logged whole. The message of a 4xx always reaches the caller.
 */
export function makeErrorHandler (body: ErrorBody = plainErrorBody) {
  return function handleError (thrown: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply) {
    const error = storageUnavailable(thrown) ?? thrown
    if (error instanceof HttpError && error.headers !== undefined) reply.headers(error.headers)
    const status = error instanceof HttpError ? error.status : (error.statusCode ?? 500)
    if (status >= 500 && !(error instanceof HttpError)) {
      request.log.error({ err: error }, 'request failed')
      return reply.code(status).send(body('Internal Server Error'))
    }
    if (status >= 500) request.log.warn({ status, reason: error.message }, 'request failed upstream')
    if (status === 401 || status === 403) request.log.warn({ status, reason: error.message }, 'request refused')
    return reply.code(status).send(body(error.message, error instanceof HttpError ? error.extra : undefined))
  }
}
