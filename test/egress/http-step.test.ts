import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, testConfig, type TestApp } from '../helpers.js'
import { startFakeService } from './fake-service.js'

describe('the http step through the egress', () => {
  let hf: TestApp
  let fake: Awaited<ReturnType<typeof startFakeService>>

  beforeAll(async () => {
    fake = await startFakeService()
    const port = fake.port
    hf = await buildTestApp(testConfig({
      egress: {
        allow: [`http://127\\.0\\.0\\.1:${port}/.*`, `http://10\\.0\\.0\\.1:${port}/.*`],
        ports: [port],
        allowNetworks: ['127.0.0.1'],
        services: [{ match: `http://127\\.0\\.0\\.1:${port}/p1`, token: 'svc-token', protocol: 1 }]
      },
      scenarios: {
        call: {
          steps: [
            { http: { method: 'POST', url: `${fake.base}/echo`, headers: { 'X-Hookflow-Run-Id': 'forged', Connection: 'close', 'X-Mine': 'ok' }, body: { n: 1 } }, as: 'resp' },
            { set: { $body: '{% resp.body.headers %}' } }
          ]
        },
        wrapped: { steps: [{ http: { url: `${fake.base}/p1` }, as: 'resp' }, { set: { $body: '{% resp %}' } }] },
        private: { steps: [{ name: 'inside', http: { url: `http://10.0.0.1:${port}/echo`, timeoutMs: 500 } }] }
      },
      webrequests: [{ slug: 'call', scenario: 'call' }, { slug: 'wrapped', scenario: 'wrapped' }, { slug: 'private', scenario: 'private' }]
    }))
  })
  afterAll(async () => {
    await hf.close()
    fake.server.close()
  })

  it('adds the run’s identity headers and drops reserved ones the scenario set', async () => {
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/call' })
    const seen = res.json()
    expect(seen['x-hookflow-run-id']).toBe(res.headers['x-run-id'])
    expect(seen['x-hookflow-endpoint']).toBe('call')
    expect(seen['x-mine']).toBe('ok')
    expect(seen['content-type']).toBe('application/json')
  })

  it('unwraps a protocol-1 service for the step too', async () => {
    const res = await hf.app.inject({ method: 'GET', url: '/api/webrequest/wrapped' })
    expect(res.json()).toMatchObject({ status: 201, body: { unwrapped: true } })
  })

  it('fails the step for a private address, naming the guard', async () => {
    const res = await hf.app.inject({ method: 'GET', url: '/api/webrequest/private' })
    expect(res.statusCode).toBe(500)
    expect(res.json().error).toMatch(/http step "inside" .* failed: address 10\.0\.0\.1 of 10\.0\.0\.1 is refused by the SSRF guard/)
  })
})
