import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, sqlValue, testConfig, type TestApp } from '../../helpers.js'

describe('per-endpoint history of sync runs', () => {
  let hf: TestApp
  beforeAll(async () => {
    hf = await buildTestApp(testConfig({
      scenarios: { maybe: { steps: [{ if: '{% body.fail %}', then: [{ set: { x: '{% $nope() %}' } }] }, { set: { $body: 'ok' } }] } },
      webrequests: ['all', 'errors', 'none'].map((history) => ({ slug: history, scenario: 'maybe', history }))
    }))
  })
  afterAll(async () => { await hf.close() })

  const recorded = async (slug: string, payload: object): Promise<boolean> => {
    const res = await hf.app.inject({ method: 'POST', url: `/api/webrequest/${slug}`, payload })
    await hf.runs.flush()
    return await sqlValue(hf, 'SELECT count(*) FROM runs WHERE id = ?', Number(res.headers['x-run-id'])) === 1
  }

  it('records every run, only failures, or none', async () => {
    expect([await recorded('all', {}), await recorded('all', { fail: true })]).toEqual([true, true])
    expect([await recorded('errors', {}), await recorded('errors', { fail: true })]).toEqual([false, true])
    expect([await recorded('none', {}), await recorded('none', { fail: true })]).toEqual([false, false])
  })
})
