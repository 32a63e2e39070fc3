import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { createHookflow } from '../../src/hookflow.js'
import pino from 'pino'
import { adminAuth, tempDir, testConfig, viewerAuth, waitFor, type TestApp } from '../helpers.js'

function configFile (dir: string, extra: Record<string, unknown>): string {
  const file = join(dir, 'config.json')
  writeFileSync(file, JSON.stringify(testConfig(extra)))
  return file
}

async function appFrom (file: string): Promise<TestApp> {
  const hf = await createHookflow(loadConfig(file, {}), { dbPath: ':memory:', log: pino({ level: 'silent' }) })
  await hf.start()
  return hf
}

const version = (greeting: string, delay = 0) => ({
  scenarios: { hello: { steps: [...(delay > 0 ? [{ delay }] : []), { set: { $body: { greeting } } }] }, broken: { steps: [{ set: { x: '{% $nope() %}' } }] } },
  webrequests: [{ slug: 'hello', scenario: 'hello' }, { slug: 'broken', scenario: 'broken', retry: { attempts: 2, backoffMs: 10 } }]
})

describe('operator tools', () => {
  let hf: TestApp | undefined
  afterEach(async () => { await hf?.close(); hf = undefined })

  it('reloads a good config, keeps the old one on a bad file (400 with the problems), and lets in-flight runs finish on their version', async () => {
    const dir = tempDir()
    const file = configFile(dir, version('v1', 400))
    hf = await appFrom(file)
    const inFlight = hf.app.inject({ method: 'GET', url: '/api/webrequest/hello' })
    await new Promise((resolve) => setTimeout(resolve, 100))

    writeFileSync(file, JSON.stringify(testConfig(version('v2'))))
    const applied = await hf.app.inject({ method: 'POST', url: '/api/admin/reload', headers: adminAuth })
    expect(applied.statusCode).toBe(200)
    expect(applied.json()).toEqual({ ok: true, restartNeeded: [] })
    expect((await inFlight).json()).toEqual({ greeting: 'v1' })
    expect((await hf.app.inject({ method: 'GET', url: '/api/webrequest/hello' })).json()).toEqual({ greeting: 'v2' })

    writeFileSync(file, JSON.stringify(testConfig({ webrequests: [{ slug: 'hello', scenario: 'missing' }] })))
    const refused = await hf.app.inject({ method: 'POST', url: '/api/admin/reload', headers: adminAuth })
    expect(refused.statusCode).toBe(400)
    expect(refused.json()).toEqual({ error: expect.stringMatching(/reload refused/), problems: ['webrequests[0].scenario: unknown scenario "missing"'] })
    expect((await hf.app.inject({ method: 'GET', url: '/api/webrequest/hello' })).json()).toEqual({ greeting: 'v2' })
  })

  it('lets viewers read and only admins act, and writes every act to the audit log', async () => {
    hf = await appFrom(configFile(tempDir(), version('x')))
    expect((await hf.app.inject({ method: 'POST', url: '/api/admin/reload', headers: viewerAuth })).statusCode).toBe(403)
    expect((await hf.app.inject({ method: 'GET', url: '/api/admin/endpoints' })).statusCode).toBe(401)
    const endpoints = (await hf.app.inject({ method: 'GET', url: '/api/admin/endpoints', headers: viewerAuth })).json()
    expect(endpoints.data.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(['hello', 'broken']))
    expect((await hf.app.inject({ method: 'GET', url: '/api/admin/health', headers: viewerAuth })).json()).toMatchObject({ status: 'ok', database: true })
    await hf.app.inject({ method: 'POST', url: '/api/admin/reload', headers: adminAuth })
    const run = Number((await hf.app.inject({ method: 'POST', url: '/api/webrequest/hello?async=true' })).headers['x-run-id'])
    await waitFor(async () => { await hf!.runs.flush(); return hf!.db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(run) === 'succeeded' ? true : undefined })
    await hf.app.inject({ method: 'POST', url: `/api/runs/${run}/replay`, headers: adminAuth })
    const audit = (await hf.app.inject({ method: 'GET', url: '/api/admin/audit', headers: viewerAuth })).json()
    expect(audit.data.map((entry: { action: string, actor: string, role: string }) => [entry.action, entry.actor, entry.role])).toEqual([['replay', 'token-1', 'admin'], ['reload', 'token-1', 'admin']])
  })

  it('publishes an OpenAPI document listing every route, behind a viewer token by default', async () => {
    hf = await appFrom(configFile(tempDir(), version('x')))
    expect((await hf.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(401)
    const doc = (await hf.app.inject({ method: 'GET', url: '/docs/json', headers: viewerAuth })).json()
    const paths = Object.keys(doc.paths)
    for (const path of ['/api/webrequest/{slug}', '/api/event', '/api/randid', '/api/proxy', '/api/{resource}', '/api/runs', '/api/runs/{id}', '/api/runs/{id}/replay', '/api/runs/{id}/cancel', '/api/runs/{id}/status', '/api/admin/reload', '/api/admin/audit', '/api/admin/endpoints', '/api/admin/health', '/healthz', '/readyz', '/metrics']) {
      expect(paths, path).toContain(path)
    }
    // Every operation is described, and the parameters come from the handlers' own schemas.
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, { summary?: string, tags?: string[] }>>)) {
      if (path.startsWith('/docs')) continue
      for (const [method, operation] of Object.entries(operations)) expect(operation.summary, `${method} ${path}`).toBeTruthy()
    }
    const listParameters = doc.paths['/api/runs'].get.parameters.map((parameter: { name: string }) => parameter.name)
    expect(listParameters).toEqual(expect.arrayContaining(['status', 'endpoint', 'scenario', 'from', 'to', 'limit', 'cursor']))
    expect(doc.paths['/api/event'].post.requestBody.content['application/json'].schema.required).toEqual(['name'])
  })

  it('counts requests and dead runs on /metrics', async () => {
    hf = await appFrom(configFile(tempDir(), version('x')))
    await hf.app.inject({ method: 'GET', url: '/api/webrequest/hello' })
    await hf.app.inject({ method: 'POST', url: '/api/webrequest/broken?async=true' })
    expect((await hf.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401)
    const text = await waitFor(async () => {
      const body = (await hf!.app.inject({ method: 'GET', url: '/metrics', headers: viewerAuth })).body
      return /hookflow_runs_dead_total\{scenario="broken"\} 1/.test(body) ? body : undefined
    })
    expect(text).toMatch(/hookflow_http_requests_total\{method="GET",route="\/api\/webrequest\/:slug",status="200"\} 1/)
    expect(text).toMatch(/hookflow_run_retries_total\{scenario="broken"\} 1/)
    expect(text).toMatch(/hookflow_queue_depth \d+/)
  })

  it('reports the queue and the evaluation hosts on /metrics as they are at scrape time', async () => {
    hf = await appFrom(configFile(tempDir(), {
      queue: { concurrency: 1 },
      runner: { hosts: 2, minHosts: 0 },
      scenarios: {
        slow: { steps: [{ delay: 400 }, { set: { $body: 'ok' } }] },
        // `$sort` is not provably bounded: evaluated in a host.
        sorted: { steps: [{ set: { $body: '{% $sort(body.items) %}' } }] }
      },
      webrequests: [{ slug: 'slow', scenario: 'slow' }, { slug: 'sorted', scenario: 'sorted' }]
    }))
    const gauges = async () => {
      const body = (await hf!.app.inject({ method: 'GET', url: '/metrics', headers: viewerAuth })).body
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)?.[1])
      return { depth: value('hookflow_queue_depth'), inFlight: value('hookflow_runs_in_flight'), oldest: value('hookflow_queue_oldest_age_seconds'), hosts: value('hookflow_evaluation_hosts') }
    }
    expect(await gauges()).toEqual({ depth: 0, inFlight: 0, oldest: 0, hosts: 0 })

    for (let i = 0; i < 3; i++) expect((await hf.app.inject({ method: 'POST', url: '/api/webrequest/slow?async=true' })).statusCode).toBe(200)
    const busy = await waitFor(async () => { const now = await gauges(); return now.inFlight === 1 ? now : undefined })
    expect(busy.depth).toBe(2)
    expect(busy.oldest).toBeGreaterThan(0)

    expect((await hf.app.inject({ method: 'POST', url: '/api/webrequest/sorted', payload: { items: [3, 1, 2] } })).json()).toEqual([1, 2, 3])
    // `delay` is not bounded either: the slow runs may have started a host of their own meanwhile.
    const { hosts } = await gauges()
    expect(hosts).toBeGreaterThanOrEqual(1)
    expect(hosts).toBeLessThanOrEqual(2)
    await waitFor(async () => { const now = await gauges(); return now.depth === 0 && now.inFlight === 0 ? true : undefined }, 5000)
  })
})
