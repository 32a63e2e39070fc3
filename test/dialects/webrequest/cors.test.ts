import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, sqlValue, testConfig, type TestApp } from '../../helpers.js'

const config = testConfig({
  scenarios: {
    'own-cors': { steps: [{ set: { $headers: { 'Access-Control-Allow-Origin': 'https://shop.example' }, $body: { ok: true } } }] },
    plain: { steps: [{ set: { $body: { method: '{% method %}' } } }] }
  },
  webrequests: [
    { slug: 'own-cors', scenario: 'own-cors' },
    { slug: 'declared', scenario: 'plain', cors: { origins: ['https://app.example'], methods: ['POST'], headers: ['Content-Type', 'X-Token'], maxAgeSec: 300 } },
    { slug: 'plain', scenario: 'plain' }
  ]
})

describe('CORS on web requests', () => {
  let hf: TestApp
  beforeAll(async () => { hf = await buildTestApp(config) })
  afterAll(async () => { await hf.close() })

  it('passes Access-Control headers a scenario returns through to the caller', async () => {
    const res = await hf.app.inject({ method: 'GET', url: '/api/webrequest/own-cors', headers: { origin: 'https://shop.example' } })
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example')
  })

  it('answers preflight for an endpoint that declares cors, without running the scenario', async () => {
    const res = await hf.app.inject({
      method: 'OPTIONS',
      url: '/api/webrequest/declared',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }
    })
    expect(res.statusCode).toBe(204)
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example')
    expect(res.headers['access-control-allow-methods']).toBe('POST')
    expect(res.headers['access-control-allow-headers']).toBe('Content-Type, X-Token')
    expect(res.headers['access-control-max-age']).toBe('300')
    expect(res.body).toBe('')
  })

  it('adds the allow-origin header to actual requests from an allowed origin only', async () => {
    const allowed = await hf.app.inject({ method: 'POST', url: '/api/webrequest/declared', headers: { origin: 'https://app.example' }, payload: {} })
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example')
    expect(allowed.headers['access-control-expose-headers']).toContain('X-Run-Id')
    const other = await hf.app.inject({ method: 'POST', url: '/api/webrequest/declared', headers: { origin: 'https://evil.example' }, payload: {} })
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('leaves the replies of an endpoint without a policy alone, and marks a policy\'s replies as varying by Origin', async () => {
    const plain = await hf.app.inject({ method: 'POST', url: '/api/webrequest/plain', headers: { origin: 'https://app.example' }, payload: {} })
    expect(plain.statusCode).toBe(200)
    expect(plain.headers.vary).toBeUndefined()
    expect(plain.headers['access-control-allow-origin']).toBeUndefined()
    const declared = await hf.app.inject({ method: 'POST', url: '/api/webrequest/declared', payload: {} })
    expect(declared.headers.vary).toBe('Origin')
  })

  it('runs the scenario for an OPTIONS request that is not a preflight', async () => {
    const res = await hf.app.inject({ method: 'OPTIONS', url: '/api/webrequest/declared' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ method: 'OPTIONS' })
  })

  it('refuses a preflight to an endpoint that does not declare cors, without running the scenario', async () => {
    await hf.runs.flush()
    const before = await sqlValue(hf, "SELECT count(*) FROM runs WHERE endpoint = 'plain'")
    const res = await hf.app.inject({ method: 'OPTIONS', url: '/api/webrequest/plain', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } })
    expect(res.statusCode).toBe(204)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    expect(res.body).toBe('')
    await hf.runs.flush()
    expect(await sqlValue(hf, "SELECT count(*) FROM runs WHERE endpoint = 'plain'")).toBe(before)
    // Without the preflight headers, OPTIONS is an ordinary call.
    expect((await hf.app.inject({ method: 'OPTIONS', url: '/api/webrequest/plain', headers: { origin: 'https://app.example' } })).json()).toEqual({ method: 'OPTIONS' })
  })
})
