import type { FastifySchema } from 'fastify'
import { z } from 'zod'

/** What the OpenAPI document says about one route. */
export interface RouteDoc {
  summary: string
  tags: string[]
  description?: string
  params?: z.ZodType
  querystring?: z.ZodType
  body?: z.ZodType
  /** Status → what it means, optionally with the reply's shape. */
  responses?: Record<number, string | { description: string, shape: z.ZodType }>
  /** The route takes `Authorization: Bearer <token>`. */
  bearer?: boolean
}

/**
 * The route's fastify schema, generated from the same zod schemas the handler validates with, so
 * the document cannot drift from the check. Only documentation: the app turns schema validation
 * and serialisation off.
 */
export function routeSchema (doc: RouteDoc): FastifySchema {
  const schema: FastifySchema & Record<string, unknown> = { summary: doc.summary, tags: doc.tags }
  if (doc.description !== undefined) schema.description = doc.description
  if (doc.params !== undefined) schema.params = jsonSchema(doc.params)
  if (doc.querystring !== undefined) schema.querystring = jsonSchema(doc.querystring)
  if (doc.body !== undefined) schema.body = jsonSchema(doc.body)
  if (doc.bearer === true) schema.security = [{ bearer: [] }]
  if (doc.responses !== undefined) {
    schema.response = Object.fromEntries(Object.entries(doc.responses).map(([status, response]) => [status, typeof response === 'string'
      ? { description: response, type: 'object', additionalProperties: true }
      : { description: response.description, ...jsonSchema(response.shape) }]))
  }
  return schema
}

/** The reply every error carries outside the event and collection dialects. */
export const ErrorReply = z.object({ error: z.string() })

function jsonSchema (schema: z.ZodType): Record<string, unknown> {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  return rest
}
