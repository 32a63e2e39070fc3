import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import secureJson from 'secure-json-parse'
import { z } from 'zod'
import { ActionError, performAction, type ActionDeps } from '../../collections/perform-action.js'
import type { CollectionPermissions } from '../../collections/permissions.js'
import { parseTriggerWorkflows } from '../../collections/triggers.js'
import { ACTIONS, type Action } from '../../config/collections.js'
import { formatIssues } from '../../config/format-issues.js'
import { HttpError } from '../../errors.js'
import { makeErrorHandler } from '../../http/error-handler.js'
import { routeSchema } from '../../http/route-schema.js'

export interface CollectionRoutesOptions {
  /** The collections, workflows and roles of the current config. */
  current: () => { actions: ActionDeps, permissions: CollectionPermissions }
  bodyLimit: number
}

const RESOURCE = new RegExp(`^([A-Za-z][A-Za-z0-9_]{0,62}):(${ACTIONS.join('|')})$`)
const WRITES: ReadonlySet<Action> = new Set(['create', 'update', 'destroy'])

const ListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(20),
  sort: z.string().regex(/^-?[A-Za-z][A-Za-z0-9_]{0,62}$/, 'must be a field name, or -field for descending').optional(),
  filter: z.string().optional()
})

type Query = Record<string, string | undefined>

const ResourceParams = z.object({ resource: z.string().describe('<collection>:<action>, e.g. posts:create') })
const ResourceQuery = ListQuery.extend({
  triggerWorkflows: z.string().optional().describe('After-create workflows to run: key1,key2!assoc'),
  filterByTk: z.string().optional().describe('The record id for get, update and destroy'),
  token: z.string().optional().describe('The bearer token, when a header cannot be sent')
})

const fail = (status: number, problems: string[]): HttpError => new HttpError(status, problems.join('; '), { extra: { problems } })

function bearer (request: FastifyRequest<{ Querystring: Query }>): string | undefined {
  const header = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
  return header?.[1] ?? request.query.token
}

function parseJsonBody (raw: Buffer | undefined, contentType: string | undefined): unknown {
  if (raw === undefined || raw.length === 0) return {}
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(contentType ?? '')) throw fail(400, ['body: must be JSON (Content-Type: application/json)'])
  try {
    return secureJson.parse(raw.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch (err) {
    throw fail(400, [`body: malformed JSON: ${(err as Error).message}`])
  }
}

function listQuery (query: Query) {
  const parsed = ListQuery.safeParse(query)
  if (!parsed.success) throw fail(400, formatIssues(parsed.error.issues))
  let filter: Record<string, unknown> | undefined
  if (parsed.data.filter !== undefined) {
    try {
      filter = secureJson.parse(parsed.data.filter, undefined, { protoAction: 'error', constructorAction: 'error' }) as Record<string, unknown>
    } catch {
      throw fail(400, ['filter: must be a JSON object of field: value'])
    }
    if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) throw fail(400, ['filter: must be a JSON object of field: value'])
  }
  return { page: parsed.data.page, pageSize: parsed.data.pageSize, sort: parsed.data.sort, filter }
}

/**
 * NocoBase's resource API: `/api/<collection>:<action>`. Checks run in a fixed order — token (401),
 * collection (404, so only an authenticated caller learns which exist), role and action (403),
 * then the body (400) — and every error is `{"errors": [{"message"}]}`.
 */
export const collectionRoutes: FastifyPluginAsync<CollectionRoutesOptions> = async (app, { current, bodyLimit }) => {
  app.setErrorHandler(makeErrorHandler((message, extra) => ({
    errors: Array.isArray(extra?.problems) ? (extra.problems as string[]).map((problem) => ({ message: problem })) : [{ message }]
  })))
  // The body is judged last, after the caller is known to be allowed: read it as bytes now.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body))

  app.route<{ Params: { resource: string }, Querystring: Query }>({
    method: ['GET', 'POST'],
    url: '/api/:resource',
    schema: routeSchema({
      summary: 'A collection action: create, list, get, update, destroy', tags: ['collections'], bearer: true,
      description: 'Bearer token plus `X-Role`. Errors are `{"errors": [{"message"}]}`.',
      params: ResourceParams, querystring: ResourceQuery,
      responses: { 200: '{data: record | [record], meta?}', 400: 'Bad body or query', 401: 'No or unknown token', 403: 'Role may not do this', 404: 'Unknown collection or record' }
    }),
    async handler (request) {
      const match = RESOURCE.exec(request.params.resource)
      if (match === null) throw fail(404, [`no route for ${request.method} /api/${request.params.resource}`])
      const [, collection, action] = match as unknown as [string, string, Action]
      if (WRITES.has(action) && request.method !== 'POST') throw fail(405, [`${collection}:${action} needs POST`])
      const { actions, permissions } = current()
      try {
        const user = permissions.authenticate(bearer(request))
        if (!actions.models.has(collection)) throw new ActionError(404, [`unknown collection "${collection}"`])
        const role = permissions.roleOf(user, request.headers['x-role'] as string | undefined)
        permissions.require(role, collection, action)
        const { keys, problems } = parseTriggerWorkflows(request.query.triggerWorkflows)
        if (problems.length > 0) throw new ActionError(400, problems)
        return await performAction(actions, {
          collection,
          action,
          body: WRITES.has(action) && action !== 'destroy' ? parseJsonBody(request.body as Buffer | undefined, request.headers['content-type']) : undefined,
          filterByTk: request.query.filterByTk,
          list: action === 'list' ? listQuery(request.query) : undefined,
          triggers: keys,
          globals: true,
          actor: { userId: user.id, role }
        })
      } catch (err) {
        if (err instanceof ActionError) throw fail(err.status, err.problems)
        throw err
      }
    }
  })
}
