import type { FastifyReply } from 'fastify'
import type { ScenarioReply } from '../runs/reply.js'

/** Sends a scenario's reply: objects as JSON, strings as they are, nothing as an empty body. */
export function sendScenarioReply (reply: FastifyReply, data: ScenarioReply): FastifyReply {
  reply.code(data.status)
  for (const [name, value] of Object.entries(data.headers)) reply.header(name, value)
  const body = data.body
  if (body === null || body === undefined) return reply.send()
  if (typeof body === 'string') {
    if (!reply.hasHeader('content-type')) reply.type('text/plain; charset=utf-8')
    return reply.send(body)
  }
  if (!reply.hasHeader('content-type')) reply.type('application/json; charset=utf-8')
  return reply.send(JSON.stringify(body))
}
