import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../src/config/load-config.js'
import { buildTestApp, testConfig, type TestApp } from '../helpers.js'

const config = testConfig({
  runner: { hosts: 1, maxResultBytes: 10_000 },
  scenarios: {
    big: { steps: [{ name: 'grow', set: { x: '{% $join([1..5000].($string($)), ",") %}' } }] },
    small: { steps: [{ set: { $body: { ok: true } } }] },
    waits: { steps: [{ delay: 1500 }, { set: { $body: { waited: true } } }] }
  },
  webrequests: [{ slug: 'big', scenario: 'big' }, { slug: 'small', scenario: 'small' }, { slug: 'waits', scenario: 'waits' }]
})

describe('evaluation caps', () => {
  let hf: TestApp
  beforeAll(async () => { hf = await buildTestApp(config) })
  afterAll(async () => { await hf.close() })

  it('fails a step whose expression result is over maxResultBytes, naming the step', async () => {
    const res = await hf.app.inject({ method: 'GET', url: '/api/webrequest/big' })
    expect(res.statusCode).toBe(500)
    expect(res.json().error).toMatch(/set step "grow" .* failed: expression result is larger than 10000 bytes/)
  })

  it('does not hold an evaluation host while a run waits on a delay', async () => {
    // One host only: if the waiting run held it, the quick call would wait 1.5 s.
    const waiting = hf.app.inject({ method: 'GET', url: '/api/webrequest/waits' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    const started = Date.now()
    const quick = await hf.app.inject({ method: 'GET', url: '/api/webrequest/small' })
    expect(quick.statusCode).toBe(200)
    expect(Date.now() - started).toBeLessThan(500)
    expect((await waiting).json()).toEqual({ waited: true })
  })
})

describe('nesting cap', () => {
  it('refuses steps nested deeper than runner.maxNestingDepth, with the path', () => {
    let steps: unknown[] = [{ set: { x: 1 } }]
    for (let i = 0; i < 4; i++) steps = [{ if: true, then: steps }]
    const raw = { runner: { maxNestingDepth: 4 }, scenarios: { deep: { steps } } }
    try {
      parseConfig(raw, { env: {} })
      expect.unreachable()
    } catch (err) {
      expect((err as ConfigError).problems).toEqual(['scenarios.deep.steps[0].then[0].then[0].then[0].then: steps nest deeper than 4 levels'])
    }
    expect(() => parseConfig({ ...raw, runner: { maxNestingDepth: 5 } }, { env: {} })).not.toThrow()
  })
})
