import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminAuth, buildTestApp, sql, testConfig, waitFor, type TestApp } from '../../helpers.js'

describe('onTimeout: "continue"', () => {
  let hf: TestApp
  beforeAll(async () => {
    hf = await buildTestApp(testConfig({
      scenarios: {
        long: { timeoutMs: 5000, steps: [{ delay: 800 }, { set: { $status: 201, $body: { done: '{% body.n %}' } } }] },
        short: { steps: [{ set: { $body: { quick: true } } }] }
      },
      webrequests: [
        { slug: 'long', scenario: 'long', timeoutMs: 300, onTimeout: 'continue' },
        { slug: 'short', scenario: 'short', timeoutMs: 300, onTimeout: 'continue' }
      ]
    }))
  })
  afterAll(async () => { await hf.close() })

  it('answers 202 with the run id and status URL at the deadline, and the run later succeeds', async () => {
    const started = Date.now()
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/long', payload: { n: 5 } })
    expect(Date.now() - started).toBeLessThan(700)
    expect(res.statusCode).toBe(202)
    const { runId, statusUrl } = res.json()
    expect(statusUrl).toMatch(new RegExp(`^/api/runs/${runId}/status\\?key=`))

    // Committed as soon as the caller got its 202.
    const [row] = await sql<{ status: string, is_async: number }>(hf, 'SELECT status, is_async FROM runs WHERE id = ?', runId)
    expect(row).toEqual({ status: 'running', is_async: 1 })

    const view = await waitFor(async () => {
      const body = (await hf.app.inject({ method: 'GET', url: statusUrl })).json()
      return body.status === 'succeeded' ? body : undefined
    })
    expect(view.reply).toEqual({ status: 201, headers: {}, body: { done: 5 } })
    const run = (await hf.app.inject({ method: 'GET', url: `/api/runs/${runId}`, headers: adminAuth })).json()
    expect(run.steps.map((step: { kind: string }) => step.kind)).toEqual(['delay', 'set'])
  })

  it('replies normally when the run ends before the deadline', async () => {
    const res = await hf.app.inject({ method: 'GET', url: '/api/webrequest/short' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ quick: true })
  })
})
