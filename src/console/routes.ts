import { timingSafeEqual } from 'node:crypto'
import rateLimit from '@fastify/rate-limit'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { listEntryPoints } from '../admin/entry-point-list.js'
import { formatIssues } from '../config/format-issues.js'
import { HttpError } from '../errors.js'
import type { Live } from '../live/live-state.js'
import { cancelRun, replayRun, type RunActionDeps } from '../runs/run-actions.js'
import { listRuns, RunListQuery } from '../runs/run-list-query.js'
import type { ConsoleSessionStore } from '../storage/console-session-store.js'
import { readAssets } from './assets.js'
import type { Html } from './html.js'
import { endpointsPage } from './pages/endpoints.js'
import { errorPage } from './pages/error.js'
import { loginPage } from './pages/login.js'
import { runPage } from './pages/run.js'
import { runRows, runsPage, type RunFilterForm } from './pages/runs.js'
import { clearSessionCookie, currentViewer, setSessionCookie, type ConsoleViewer, SESSION_TTL_MS } from './session.js'

export interface ConsoleRoutesOptions extends RunActionDeps {
  sessions: ConsoleSessionStore
  live: Live
  /** Login attempts a client may make per minute. */
  loginAttemptsPerMinute?: number
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleViewer?: ConsoleViewer
  }
}

/**
 * Scripts, styles and connections only from this origin, no inline code of any kind, no framing:
 * run data shown here is attacker-controlled, so the page must not be able to run any of it.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const NOTICES: Record<string, { text: string, error?: boolean }> = {
  replayed: { text: 'Replay queued: this is the new run.' },
  cancelled: { text: 'Run cancelled.' },
  'not-cancellable': { text: 'This run can no longer be cancelled: it is not a queued or running async run.', error: true }
}

const RunId = z.object({ id: z.coerce.number().int().positive() })
const FilterForm = z.object({
  status: z.string().max(32).optional(),
  endpoint: z.string().max(128).optional(),
  scenario: z.string().max(128).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  limit: z.string().max(4).optional(),
  cursor: z.string().max(20).optional()
})

/** A `datetime-local` value has no zone; the form labels it UTC. */
const utc = (value: string | undefined): string | undefined =>
  value !== undefined && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value) ? `${value}${value.length === 16 ? ':00' : ''}Z` : value

const blankless = (form: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(form).filter(([, value]) => value !== undefined && value !== ''))

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** `/console`: server-rendered pages for operators, behind a login with an admin or viewer token. */
export const consoleRoutes: FastifyPluginAsync<ConsoleRoutesOptions> = async (app, options) => {
  const { sessions, live, runs } = options
  const assets = readAssets()
  const hide = { hide: true }

  const send = async (reply: FastifyReply, page: Html, status = 200) =>
    await reply.code(status).type('text/html; charset=utf-8').send(page.text)

  app.addHook('onRequest', async (_request, reply) => {
    reply.headers({
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store'
    })
  })

  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    const status = error instanceof HttpError ? error.status : (error.statusCode ?? 500)
    if (status >= 500) request.log.error({ err: error }, 'console request failed')
    return await send(reply, errorPage(status, status >= 500 ? 'Something went wrong; the server log has the details.' : error.message, request.consoleViewer), status)
  })

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new HttpError(429, `too many login attempts from this address: at most ${context.max} a minute`)
  })

  /** Pages send an unknown visitor to the login form; the live-refresh fragment answers 401. */
  const requireViewer = (role: 'viewer' | 'admin', onMissing: 'redirect' | 'status' = 'redirect') =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const viewer = await currentViewer(request, sessions, live.current.adminAuth)
      if (viewer === undefined) {
        if (onMissing === 'status') throw new HttpError(401, 'not logged in')
        return await reply.redirect('/console/login', 303)
      }
      request.consoleViewer = viewer
      if (role === 'admin' && viewer.role !== 'admin') throw new HttpError(403, 'this action needs the admin role')
    }

  /** Every console POST carries the session's CSRF token (on top of the SameSite=Strict cookie). */
  const requireCsrf = async (request: FastifyRequest) => {
    const sent = (request.body as Record<string, unknown> | undefined)?.csrf
    if (typeof sent !== 'string' || !sameText(sent, request.consoleViewer!.csrf)) throw new HttpError(403, 'the form is stale or came from another site: reload the page and try again')
  }

  app.get('/console', { schema: hide }, async (_request, reply) => await reply.redirect('/console/runs', 303))

  app.get<{ Params: { name: string } }>('/console/assets/:name', { schema: hide }, async (request, reply) => {
    const asset = assets.get(request.params.name)
    if (asset === undefined) throw new HttpError(404, 'no such asset')
    return await reply.header('cache-control', 'public, max-age=300').type(asset.type).send(asset.body)
  })

  app.get('/console/login', { schema: hide }, async (request, reply) => {
    if (await currentViewer(request, sessions, live.current.adminAuth) !== undefined) return await reply.redirect('/console/runs', 303)
    return await send(reply, loginPage())
  })

  app.post('/console/login', {
    schema: hide,
    config: { rateLimit: { max: options.loginAttemptsPerMinute ?? 10, timeWindow: 60_000 } }
  }, async (request, reply) => {
    const auth = live.current.adminAuth
    if (!auth.enabled) return await send(reply, loginPage('The console is disabled: no admin token is configured (admin.tokens).'), 503)
    const token = (request.body as Record<string, unknown> | undefined)?.token
    const actor = typeof token === 'string' && token !== '' ? auth.identify(token) : undefined
    if (actor === undefined) {
      request.log.warn({ status: 401 }, 'console login refused')
      return await send(reply, loginPage('Unknown token.'), 401)
    }
    const { id } = await sessions.create(actor.tokenDigest, SESSION_TTL_MS)
    setSessionCookie(request, reply, id)
    request.log.info({ actor: actor.name, role: actor.role }, 'console login')
    return await reply.redirect('/console/runs', 303)
  })

  app.post('/console/logout', { schema: hide, preHandler: [requireViewer('viewer'), requireCsrf] }, async (request, reply) => {
    await sessions.end(request.consoleViewer!.sessionId)
    clearSessionCookie(request, reply)
    return await reply.redirect('/console/login', 303)
  })

  /** The filters of a runs request, checked like the admin API checks them. */
  const readFilters = (raw: unknown): { form: RunFilterForm, query?: RunListQuery, problem?: string } => {
    const parsed = FilterForm.safeParse(raw)
    const form = parsed.success ? parsed.data : {}
    const query = RunListQuery.safeParse(blankless({ ...form, from: utc(form.from), to: utc(form.to) }))
    if (!query.success) return { form, problem: `invalid filter: ${formatIssues(query.error.issues).join('; ')}` }
    return { form, query: query.data }
  }

  app.get('/console/runs', { schema: hide, preHandler: requireViewer('viewer') }, async (request, reply) => {
    const { form, query, problem } = readFilters(request.query)
    const page = query === undefined ? { data: [], nextCursor: null } : await listRuns(runs, query)
    const { config } = live.current.loaded
    return await send(reply, runsPage({
      viewer: request.consoleViewer!,
      form,
      query,
      problem,
      runs: page.data,
      nextCursor: page.nextCursor,
      endpoints: [...config.webrequests.map((endpoint) => endpoint.slug), ...config.events.map((event) => event.name), ...config.workflows.map((workflow) => workflow.key)],
      scenarios: Object.keys(config.scenarios)
    }), problem === undefined ? 200 : 400)
  })

  app.get('/console/runs/rows', { schema: hide, preHandler: requireViewer('viewer', 'status') }, async (request, reply) => {
    const { query, problem } = readFilters(request.query)
    if (query === undefined) throw new HttpError(400, problem!)
    return await send(reply, runRows((await listRuns(runs, query)).data))
  })

  app.get<{ Querystring: { notice?: string } }>('/console/runs/:id', { schema: hide, preHandler: requireViewer('viewer') }, async (request, reply) => {
    const parsed = RunId.safeParse(request.params)
    if (!parsed.success) throw new HttpError(404, 'no such run')
    const run = await runs.get(parsed.data.id)
    if (run === undefined) throw new HttpError(404, `run ${parsed.data.id} not found`)
    const [children, replays] = await Promise.all([
      runs.list({ parentRunId: run.id, limit: 100 }),
      runs.list({ replayOf: run.id, limit: 100 })
    ])
    const notice = request.query.notice === undefined ? undefined : NOTICES[request.query.notice]
    return await send(reply, runPage({ viewer: request.consoleViewer!, run, children, replays, notice }))
  })

  const actOn = (act: 'replay' | 'cancel') => async (request: FastifyRequest, reply: FastifyReply) => {
    const parsed = RunId.safeParse(request.params)
    if (!parsed.success) throw new HttpError(404, 'no such run')
    const { id } = parsed.data
    if (act === 'replay') {
      const { runId } = await replayRun(options, id, request.consoleViewer!, 'console')
      return await reply.redirect(`/console/runs/${runId}?notice=replayed`, 303)
    }
    try {
      await cancelRun(options, id, request.consoleViewer!, 'console')
      return await reply.redirect(`/console/runs/${id}?notice=cancelled`, 303)
    } catch (error) {
      if (error instanceof HttpError && error.status === 409) return await reply.redirect(`/console/runs/${id}?notice=not-cancellable`, 303)
      throw error
    }
  }
  app.post('/console/runs/:id/replay', { schema: hide, preHandler: [requireViewer('admin'), requireCsrf] }, actOn('replay'))
  app.post('/console/runs/:id/cancel', { schema: hide, preHandler: [requireViewer('admin'), requireCsrf] }, actOn('cancel'))

  app.get('/console/endpoints', { schema: hide, preHandler: requireViewer('viewer') }, async (request, reply) => {
    const entries = await listEntryPoints(live.current.loaded.config, runs)
    return await send(reply, endpointsPage(request.consoleViewer!, entries, `${request.protocol}://${request.host}`))
  })
}
