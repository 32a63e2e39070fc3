import { randomUUID } from 'node:crypto'
import type {} from '@fastify/cookie'
import type { FastifyRequest } from 'fastify'
import type { Vars } from '../../runner/types.js'
import type { DecodedBody } from './read-body.js'

/** The variables a web-request scenario starts with. */
export function buildInput (request: FastifyRequest, scenario: string, decoded: DecodedBody, isAsync: boolean): Vars {
  return {
    event: { id: randomUUID(), type: '$webRequest', async: isAsync },
    script: { id: scenario },
    user: { id: null },
    url: `${request.protocol}://${request.host}${request.url}`,
    method: request.method,
    headers: { ...request.headers },
    cookies: { ...(request.cookies ?? {}) },
    query: { ...(request.query as Record<string, unknown>) },
    body: decoded.body,
    rawBody: decoded.rawBody,
    files: decoded.files,
    ip: request.ip
  }
}
