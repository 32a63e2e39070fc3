import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminAuth, buildTestApp, testConfig, waitFor, type TestApp } from '../helpers.js'

/** A local HTTP server the http step may call; it counts the calls per path. */
function startTarget (): Promise<{ server: Server, url: string, hits: Map<string, number> }> {
  const hits = new Map<string, number>()
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    hits.set(path, (hits.get(path) ?? 0) + 1)
    let body = ''
    req.on('data', (chunk: Buffer) => { body += chunk.toString() })
    req.on('end', () => {
      if (path === '/fail' || (path === '/retry' && hits.get(path)! < 3)) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}')
      } else if (path === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('plain')
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'x-target': 'yes' })
          .end(JSON.stringify({ method: req.method, got: body === '' ? null : JSON.parse(body), auth: req.headers.authorization ?? null }))
      }
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits })
  }))
}

describe('step kinds through web requests', () => {
  let hf: TestApp
  let target: Awaited<ReturnType<typeof startTarget>>

  beforeAll(async () => {
    target = await startTarget()
    const port = new URL(target.url).port
    hf = await buildTestApp(testConfig({
      egress: { allow: [`http://127\\.0\\.0\\.1:${port}/(echo|fail|text|retry)`], allowNetworks: ['127.0.0.1'], ports: [Number(port)] },
      scenarios: {
        route: {
          steps: [{
            switch: '{% body.kind %}',
            cases: { order: [{ set: { $body: { handled: 'order' } } }], '2': [{ set: { $body: { handled: 'two' } } }] },
            default: [{ set: { $body: { handled: 'default' } } }]
          }]
        },
        loop: {
          steps: [
            { set: { total: 0, names: [] } },
            { each: '{% body.items %}', as: 'item', maxIterations: 3, steps: [{ set: { total: '{% total + item.price %}', names: '{% $append(names, item.name) %}' } }] },
            { set: { $body: { total: '{% total %}', names: '{% names %}' } } }
          ]
        },
        refuse: { steps: [{ if: '{% body.qty > 10 %}', then: [{ fail: { message: '{% "too many: " & $string(body.qty) %}', $status: 422, $body: { error: 'qty over 10' } } }] }, { fail: { message: 'plain failure' } }] },
        call: {
          steps: [
            { name: 'post', http: { method: 'POST', url: `${target.url}/echo`, headers: { Authorization: 'Bearer outbound' }, body: { n: '{% body.n %}' } }, as: 'resp' },
            { set: { $body: { status: '{% resp.status %}', echoed: '{% resp.body %}', header: '{% resp.headers."x-target" %}' } } }
          ]
        },
        'call-text': { steps: [{ http: { url: `${target.url}/text` }, as: 'resp' }, { set: { $body: '{% resp.body %}' } }] },
        'call-denied': { steps: [{ name: 'denied', http: { url: `${target.url}/secret` }, as: 'resp' }] },
        'call-status': { steps: [{ http: { url: `${target.url}/fail` }, as: 'resp', failOnStatus: false }, { set: { $body: { seen: '{% resp.status %}' } } }] },
        retrying: { steps: [{ name: 'flaky', http: { url: `${target.url}/retry` }, retry: { attempts: 3, backoffMs: 10 }, as: 'resp' }] },
        retrying503: { steps: [{ name: 'down', http: { url: `${target.url}/fail` }, retry: { attempts: 3, backoffMs: 10 } }] },
        tolerant: {
          steps: [
            { name: 'broken', set: { x: '{% $nope() %}' }, onError: 'continue' },
            { name: 'also broken', http: { url: `${target.url}/fail` }, onError: { set: { problem: '{% $error.message %}', where: '{% $error.step %}' } } },
            { set: { $body: { problem: '{% problem %}', where: '{% where %}' } } }
          ]
        },
        'tolerant-loop': {
          steps: [
            { set: { done: [] } },
            { each: '{% body.items %}', onError: 'continue', steps: [{ if: '{% item = 2 %}', then: [{ set: { x: '{% $nope() %}' } }] }, { set: { done: '{% $append(done, item) %}' } }] },
            { set: { $body: { done: '{% done %}' } } }
          ]
        },
        'no-retry-fail': { steps: [{ fail: { message: 'on purpose' }, retry: { attempts: 5 } }] },
        parent: { steps: [{ emit: 'child', input: { from: '{% body.name %}' }, as: 'spawned' }, { set: { $body: '{% spawned %}' } }] },
        child: { steps: [{ set: { $body: { hello: '{% body.from %}', parent: '{% event.parentRunId %}', type: '{% event.type %}' } } }] },
        'self-emit': { steps: [{ emit: 'self-emit', input: {} }] }
      },
      webrequests: ['route', 'loop', 'refuse', 'call', 'call-text', 'call-denied', 'call-status', 'retrying', 'retrying503', 'tolerant', 'tolerant-loop', 'no-retry-fail', 'parent', 'self-emit']
        .map((slug) => ({ slug, scenario: slug }))
    }))
  })
  afterAll(async () => {
    await hf.close()
    target.server.close()
  })

  const call = async (slug: string, payload: unknown = {}) => await hf.app.inject({ method: 'POST', url: `/api/webrequest/${slug}`, payload: payload as object })
  const runOf = async (runId: number | string) => {
    await hf.runs.flush()
    return (await hf.app.inject({ method: 'GET', url: `/api/runs/${runId}`, headers: adminAuth })).json()
  }

  describe('switch', () => {
    it('takes the case whose key equals the value as a string', async () => {
      expect((await call('route', { kind: 'order' })).json()).toEqual({ handled: 'order' })
      expect((await call('route', { kind: 2 })).json()).toEqual({ handled: 'two' })
    })
    it('takes default when no case matches, or the value is missing', async () => {
      expect((await call('route', { kind: 'other' })).json()).toEqual({ handled: 'default' })
      expect((await call('route', {})).json()).toEqual({ handled: 'default' })
    })
  })

  describe('each', () => {
    it('runs its steps once per item', async () => {
      const res = await call('loop', { items: [{ name: 'a', price: 1 }, { name: 'b', price: 2 }] })
      expect(res.json()).toEqual({ total: 3, names: ['a', 'b'] })
    })
    it('treats a single value as one item and an empty array or null as none', async () => {
      expect((await call('loop', { items: { name: 'solo', price: 5 } })).json()).toEqual({ total: 5, names: ['solo'] })
      expect((await call('loop', { items: [] })).json()).toEqual({ total: 0, names: [] })
      expect((await call('loop', {})).json()).toEqual({ total: 0, names: [] })
    })
    it('fails past maxIterations', async () => {
      const res = await call('loop', { items: [1, 2, 3, 4].map((price) => ({ name: 'x', price })) })
      expect(res.statusCode).toBe(500)
      expect(res.json().error).toMatch(/each over 4 items exceeds maxIterations \(3\)/)
    })
  })

  describe('fail', () => {
    it('gives the sync caller its $status and $body', async () => {
      const res = await call('refuse', { qty: 11 })
      expect(res.statusCode).toBe(422)
      expect(res.json()).toEqual({ error: 'qty over 10' })
      const run = await runOf(res.headers['x-run-id'] as string)
      expect(run.status).toBe('failed')
      expect(run.error.message).toBe('too many: 11')
    })
    it('answers 500 with the message and run id without $status', async () => {
      const res = await call('refuse', { qty: 1 })
      expect(res.statusCode).toBe(500)
      expect(res.json()).toEqual({ error: 'plain failure', runId: Number(res.headers['x-run-id']) })
    })
    it('is never retried', async () => {
      const res = await call('no-retry-fail')
      const run = await runOf(res.headers['x-run-id'] as string)
      expect(run.steps).toHaveLength(1)
    })
  })

  describe('http', () => {
    it('calls an allowed URL and binds status, headers and the parsed JSON body', async () => {
      const res = await call('call', { n: 7 })
      expect(res.json()).toEqual({ status: 200, echoed: { method: 'POST', got: { n: 7 }, auth: 'Bearer outbound' }, header: 'yes' })
    })
    it('keeps a text reply as a string', async () => {
      expect((await call('call-text')).body).toBe('plain')
    })
    it('refuses a URL outside egress.allow, and the target sees nothing', async () => {
      const res = await call('call-denied')
      expect(res.statusCode).toBe(500)
      expect(res.json().error).toMatch(/http step "denied" .* failed: url not allowed/)
      expect(target.hits.get('/secret')).toBeUndefined()
    })
    it('fails on a status ≥ 400 unless failOnStatus is false', async () => {
      expect((await call('call-status')).json()).toEqual({ seen: 503 })
      const res = await call('retrying503')
      expect(res.json().error).toMatch(/reply status 503/)
    })
  })

  describe('retry', () => {
    it('succeeds on a later attempt', async () => {
      const res = await call('retrying')
      expect(res.statusCode).toBe(200)
      expect(target.hits.get('/retry')).toBe(3)
      const run = await runOf(res.headers['x-run-id'] as string)
      expect(run.steps.map((step: { attempt?: number, status: string }) => [step.attempt ?? 1, step.status])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'ok']])
    })

    it('runs a failing http step exactly `attempts` times, logging each attempt', async () => {
      const before = target.hits.get('/fail') ?? 0
      const res = await call('retrying503')
      expect(res.statusCode).toBe(500)
      expect((target.hits.get('/fail') ?? 0) - before).toBe(3)
      const run = await runOf(res.headers['x-run-id'] as string)
      expect(run.steps.map((step: { attempt?: number, status: string }) => [step.attempt ?? 1, step.status])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'failed']])
    })
  })

  describe('onError', () => {
    it('continues past a failed step, or sets variables from $error and continues', async () => {
      const res = await call('tolerant')
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ problem: expect.stringMatching(/reply status 503/), where: 'scenarios.tolerant.steps[1]' })
    })
    it('on a compound step, catches a failure inside it and goes on after it', async () => {
      const res = await call('tolerant-loop', { items: [1, 2, 3] })
      expect(res.json()).toEqual({ done: [1] })
    })
  })

  describe('emit', () => {
    it('starts a linked child run that sees the input as its body', async () => {
      const res = await call('parent', { name: 'Ann' })
      const parentId = Number(res.headers['x-run-id'])
      const childId = res.json().runId
      expect(childId).toBeGreaterThan(0)
      const child = await waitFor(async () => {
        const run = await runOf(childId)
        return run.status === 'succeeded' ? run : undefined
      })
      expect(child).toMatchObject({ parentRunId: parentId, kind: 'emit', depth: 1, async: true })
      expect(child.output.$body).toEqual({ hello: 'Ann', parent: parentId, type: '$emit' })
    })

    it('stops a self-emitting scenario at the depth cap with a clear error', async () => {
      const res = await call('self-emit')
      const rootId = Number(res.headers['x-run-id'])
      const last = await waitFor(async () => {
        await hf.runs.flush()
        const rows = hf.db.prepare("SELECT id, depth, status, error FROM runs WHERE scenario = 'self-emit' AND id >= ? ORDER BY id").all(rootId) as Array<{ depth: number, status: string, error: string | null }>
        const deepest = rows.find((row) => row.depth === 8)
        return deepest?.status === 'failed' ? { rows, deepest } : undefined
      })
      expect(last.rows.map((row) => row.depth)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
      expect(JSON.parse(last.deepest.error!).message).toMatch(/emit chain limit reached: .*runner\.maxEmitDepth = 8/)
    })
  })
})
