import { afterEach, describe, expect, it } from 'vitest'
import { adminAuth, buildTestApp, testConfig, viewerAuth, type TestApp } from '../helpers.js'

const scenarios = { ok: { steps: [{ set: { $body: 'ok' } }] }, bad: { steps: [{ set: { x: '{% $nope() %}' } }] } }
const config = testConfig({ scenarios, webrequests: [{ slug: 'ok', scenario: 'ok' }, { slug: 'bad', scenario: 'bad' }] })

describe('admin runs API', () => {
  let hf: TestApp | undefined
  afterEach(async () => { await hf?.close(); hf = undefined })

  it('answers 503 "admin API disabled" when no token is configured, never open', async () => {
    hf = await buildTestApp({ scenarios })
    const res = await hf.app.inject({ method: 'GET', url: '/api/runs' })
    expect(res.statusCode).toBe(503)
    expect(res.json().error).toMatch(/^admin API disabled/)
  })

  it('answers 401 without a token or with a wrong one', async () => {
    hf = await buildTestApp(config)
    const none = await hf.app.inject({ method: 'GET', url: '/api/runs' })
    expect(none.statusCode).toBe(401)
    expect(none.json()).toEqual({ error: 'missing or invalid admin token' })
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/)
    const wrong = await hf.app.inject({ method: 'GET', url: '/api/runs/1', headers: { authorization: 'Bearer not-the-token-at-all' } })
    expect(wrong.statusCode).toBe(401)
  })

  it('lists runs newest first with cursor pagination and filters, for viewers too', async () => {
    hf = await buildTestApp(config)
    for (let i = 0; i < 5; i++) await hf.app.inject({ method: 'GET', url: '/api/webrequest/ok' })
    await hf.app.inject({ method: 'GET', url: '/api/webrequest/bad' })
    await hf.runs.flush()

    const first = (await hf.app.inject({ method: 'GET', url: '/api/runs?limit=4', headers: viewerAuth })).json()
    expect(first.data.map((run: { id: number }) => run.id)).toEqual([6, 5, 4, 3])
    expect(first.data[0]).not.toHaveProperty('input')
    const second = (await hf.app.inject({ method: 'GET', url: `/api/runs?limit=4&cursor=${first.nextCursor}`, headers: viewerAuth })).json()
    expect(second.data.map((run: { id: number }) => run.id)).toEqual([2, 1])
    expect(second.nextCursor).toBeNull()

    const failed = (await hf.app.inject({ method: 'GET', url: '/api/runs?status=failed', headers: adminAuth })).json()
    expect(failed.data.map((run: { id: number }) => run.id)).toEqual([6])
    const byEndpoint = (await hf.app.inject({ method: 'GET', url: '/api/runs?endpoint=ok&limit=2', headers: adminAuth })).json()
    expect(byEndpoint.data.map((run: { endpoint: string }) => run.endpoint)).toEqual(['ok', 'ok'])
  })

  it('answers 400 for bad filters and 404 for an unknown run', async () => {
    hf = await buildTestApp(config)
    expect((await hf.app.inject({ method: 'GET', url: '/api/runs?status=weird', headers: adminAuth })).statusCode).toBe(400)
    expect((await hf.app.inject({ method: 'GET', url: '/api/runs?limit=0', headers: adminAuth })).statusCode).toBe(400)
    expect((await hf.app.inject({ method: 'GET', url: '/api/runs?cursor=abc', headers: adminAuth })).statusCode).toBe(400)
    const missing = await hf.app.inject({ method: 'GET', url: '/api/runs/12345', headers: adminAuth })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual({ error: 'run 12345 not found' })
  })
})
