import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { adminAuth, buildTestApp, testConfig, type TestApp } from '../../helpers.js'

const config = testConfig({
  scenarios: {
    'order-total': {
      steps: [
        { set: { total: '{% body.qty * body.price %}' } },
        { if: '{% total > 100 %}', then: [{ set: { $status: 402, $body: { error: 'too big' } } }, { end: {} }] },
        { set: { $status: 200, $headers: { 'X-Total': '{% $string(total) %}' }, $body: { total: '{% total %}', who: '{% body.name %}' } } }
      ]
    },
    echo: { steps: [{ set: { $body: { event: '{% event %}', script: '{% script %}', user: '{% user %}', url: '{% url %}', method: '{% method %}', headers: '{% headers %}', cookies: '{% cookies %}', query: '{% query %}', body: '{% body %}', rawBody: '{% rawBody %}', ip: '{% ip %}' } } }] },
    text: { steps: [{ set: { $body: 'plain words', $headers: { 'Content-Type': 'text/csv' } } }] },
    empty: { steps: [{ set: { $status: 204 } }] },
    broken: { steps: [{ name: 'compute', set: { x: '{% $number("x") + $nope() %}' } }] },
    'bad-status': { steps: [{ set: { $status: 'teapot' } }] },
    'bad-header': { steps: [{ set: { $headers: { 'X-Evil': 'a\r\nInjected: 1' } } }] },
    'eval-body': { steps: [{ set: { $body: '{% $eval(body.code) %}' } }] },
    'copy-body': { steps: [{ set: { $body: '{% body %}' } }] }
  },
  webrequests: [
    { slug: 'order-total', scenario: 'order-total' },
    { slug: 'echo', scenario: 'echo' },
    { slug: 'text', scenario: 'text' },
    { slug: 'empty', scenario: 'empty' },
    { slug: 'broken', scenario: 'broken' },
    { slug: 'bad-status', scenario: 'bad-status' },
    { slug: 'bad-header', scenario: 'bad-header' },
    { slug: 'eval-body', scenario: 'eval-body' },
    { slug: 'copy-body', scenario: 'copy-body' },
    { slug: 'off', scenario: 'echo', enabled: false }
  ]
})

describe('sync web requests', () => {
  let hf: TestApp
  beforeEach(async () => { hf = await buildTestApp(config) })
  afterEach(async () => { await hf.close() })

  it('replies with the scenario output variables', async () => {
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/order-total', payload: { qty: 3, price: 10, name: 'Ann' } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-total']).toBe('30')
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.json()).toEqual({ total: 30, who: 'Ann' })
  })

  it('follows the if branch and stops at end', async () => {
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/order-total', payload: { qty: 30, price: 10 } })
    expect(res.statusCode).toBe(402)
    expect(res.json()).toEqual({ error: 'too big' })
  })

  it('gives the scenario exactly the documented input variables', async () => {
    const res = await hf.app.inject({
      method: 'PUT',
      url: '/api/webrequest/echo?a=1&a=2&b=x',
      headers: { cookie: 'session=abc; theme=dark', 'x-custom': 'yes' },
      payload: { hello: 'world' }
    })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.event).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: '$webRequest', async: false })
    expect(body.script).toEqual({ id: 'echo' })
    expect(body.user).toEqual({ id: null })
    expect(body.url).toBe('http://localhost:80/api/webrequest/echo?a=1&a=2&b=x')
    expect(body.method).toBe('PUT')
    expect(body.headers['x-custom']).toBe('yes')
    expect(body.cookies).toEqual({ session: 'abc', theme: 'dark' })
    expect(body.query).toEqual({ a: ['1', '2'], b: 'x' })
    expect(body.body).toEqual({ hello: 'world' })
    expect(body.rawBody).toBe('{"hello":"world"}')
    expect(body.ip).toBe('127.0.0.1')
  })

  it('answers every method, HEAD without a body', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
      const res = await hf.app.inject({ method, url: '/api/webrequest/echo' })
      expect(res.statusCode, method).toBe(200)
      expect(res.json().method).toBe(method)
    }
    const head = await hf.app.inject({ method: 'HEAD', url: '/api/webrequest/echo' })
    expect(head.statusCode).toBe(200)
    expect(head.body).toBe('')
  })

  it('sends a string $body as is, with the scenario content type', async () => {
    const res = await hf.app.inject({ method: 'GET', url: '/api/webrequest/text' })
    expect(res.headers['content-type']).toBe('text/csv')
    expect(res.body).toBe('plain words')
  })

  it('sends an empty body when $body is absent', async () => {
    const res = await hf.app.inject({ method: 'GET', url: '/api/webrequest/empty' })
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
  })

  it('returns 404 with an error for an unknown or disabled slug', async () => {
    for (const slug of ['nope', 'off']) {
      const res = await hf.app.inject({ method: 'POST', url: `/api/webrequest/${slug}`, payload: { a: 1 } })
      expect(res.statusCode).toBe(404)
      expect(res.json()).toEqual({ error: `unknown web request "${slug}"` })
    }
  })

  it('returns 404 for an unknown slug even when its body is malformed', async () => {
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/nope', headers: { 'content-type': 'application/json' }, payload: '{"a":' })
    expect(res.statusCode).toBe(404)
  })

  it('returns 500 with the run id and no stack trace when the scenario throws, and records the failure', async () => {
    const res = await hf.app.inject({ method: 'GET', url: '/api/webrequest/broken' })
    expect(res.statusCode).toBe(500)
    const body = res.json()
    expect(Object.keys(body).sort()).toEqual(['error', 'runId'])
    expect(body.error).toMatch(/^set step "compute" \(scenarios\.broken\.steps\[0\]\) failed: /)
    expect(body.error).not.toMatch(/ at .*\.(js|ts):\d+/)
    await hf.runs.flush()
    const run = await hf.app.inject({ method: 'GET', url: `/api/runs/${body.runId}`, headers: adminAuth })
    expect(run.json()).toMatchObject({ id: body.runId, status: 'failed', endpoint: 'broken', async: false })
    expect(run.json().steps[0]).toMatchObject({ kind: 'set', name: 'compute', status: 'failed' })
  })

  it('fails the run when $status or $headers are not a valid reply', async () => {
    const status = await hf.app.inject({ method: 'GET', url: '/api/webrequest/bad-status' })
    expect(status.statusCode).toBe(500)
    expect(status.json().error).toMatch(/\$status must be an integer/)
    const header = await hf.app.inject({ method: 'GET', url: '/api/webrequest/bad-header' })
    expect(header.statusCode).toBe(500)
    expect(header.headers.injected).toBeUndefined()
  })

  it('refuses $eval on request data', async () => {
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/eval-body', payload: { code: '$string(1+1)' } })
    expect(res.statusCode).toBe(500)
    expect(res.json().error).toMatch(/\$eval is disabled/)
  })

  it('keeps request values that look like expressions as data', async () => {
    const payload = { a: '{% 1 + 1 %}', b: '$eval("2")' }
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/copy-body', payload })
    expect(res.json()).toEqual(payload)
  })

  it('puts X-Request-Id on every reply, including errors, and keeps a plain one from the caller', async () => {
    const ok = await hf.app.inject({ method: 'GET', url: '/api/webrequest/echo', headers: { 'x-request-id': 'abc-123' } })
    expect(ok.headers['x-request-id']).toBe('abc-123')
    const notFound = await hf.app.inject({ method: 'GET', url: '/nowhere' })
    expect(notFound.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const forged = await hf.app.inject({ method: 'GET', url: '/api/webrequest/echo', headers: { 'x-request-id': 'a b\nforged log line' } })
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('records sync runs in the catalog with their output, redacting credentials', async () => {
    const res = await hf.app.inject({
      method: 'POST',
      url: '/api/webrequest/order-total?token=s3cret&page=2',
      headers: { authorization: 'Bearer caller-secret', 'x-hub-signature-256': 'sha256=abc', cookie: 'sid=xyz' },
      payload: { qty: 1, price: 1 }
    })
    const runId = Number(res.headers['x-run-id'])
    await hf.runs.flush()
    const run = (await hf.app.inject({ method: 'GET', url: `/api/runs/${runId}`, headers: adminAuth })).json()
    expect(run.status).toBe('succeeded')
    expect(run.output).toEqual({ $status: 200, $headers: { 'X-Total': '1' }, $body: { total: 1 } })
    expect(run.input.headers.authorization).toBe('[redacted]')
    expect(run.input.headers['x-hub-signature-256']).toBe('[redacted]')
    expect(run.input.headers.cookie).toBe('[redacted]')
    expect(run.input.cookies).toEqual({ sid: '[redacted]' })
    expect(run.input.query).toEqual({ token: '[redacted]', page: '2' })
    expect(run.input.url).not.toContain('s3cret')
    expect(JSON.stringify(run)).not.toMatch(/caller-secret|s3cret|xyz/)
  })
})
