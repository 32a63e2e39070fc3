import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, cpuMsOver, hostPids, isAlive, testConfig, waitFor, type TestApp } from '../helpers.js'

const RUNAWAYS: Record<string, string> = {
  'string-of-huge-range': '{% $string([1..10000000]) %}',
  'sort-of-huge-range': '{% $sort([1..10000000]) %}',
  'reduce-over-huge-range': '{% $reduce([1..10000000], function($a, $b) { $a + $b }) %}',
  'deep-recursion': '{% ( $f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000000) ) %}',
  'endless-tail-recursion': '{% ( $f := function($n) { $f($n + 1) }; $f(0) ) %}'
}

function configWith (runner: Record<string, unknown>) {
  return testConfig({
    runner: { hosts: 2, minHosts: 2, ...runner },
    scenarios: {
      quick: { steps: [{ set: { $body: { ok: true, n: '{% body.n %}' } } }] },
      ...Object.fromEntries(Object.entries(RUNAWAYS).map(([name, expression]) =>
        [name, { steps: [{ name: 'runaway', set: { x: expression } }, { set: { $body: 'finished' } }] }]))
    },
    webrequests: [
      { slug: 'quick', scenario: 'quick' },
      ...Object.keys(RUNAWAYS).map((name) => ({ slug: name, scenario: name, timeoutMs: 1000 }))
    ]
  })
}

async function runawayWhileServing (hf: TestApp, slug: string) {
  const started = Date.now()
  const runaway = hf.app.inject({ method: 'GET', url: `/api/webrequest/${slug}` }).then((res) => ({ res, ms: Date.now() - started }))
  await new Promise((resolve) => setTimeout(resolve, 50))
  const quick = await Promise.all(Array.from({ length: 50 }, async (_, n) => {
    const t = Date.now()
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/quick', payload: { n } })
    return { status: res.statusCode, n: res.json().n, ms: Date.now() - t }
  }))
  for (const call of quick) {
    expect(call.status).toBe(200)
    expect(call.ms).toBeLessThan(500)
  }
  expect(quick.map((call) => call.n)).toEqual(Array.from({ length: 50 }, (_, n) => n))
  return await runaway
}

describe('runaway expressions past every cap are stopped at the deadline', () => {
  let hf: TestApp
  // Caps raised out of reach: only the deadline (or the host's heap cap) can stop these.
  beforeAll(async () => { hf = await buildTestApp(configWith({ maxSequence: 100_000_000, maxExpressionDepth: 1_000_000_000 })) })
  afterAll(async () => { await hf.close() })

  it.each(Object.keys(RUNAWAYS))('%s is stopped while other calls keep being answered', async (slug) => {
    const hostsBefore = hostPids(hf)
    const { res, ms } = await runawayWhileServing(hf, slug)
    expect(ms).toBeLessThan(1500)
    // 504 at the deadline, or 500 when the host's heap cap ended it sooner: never finished.
    expect([504, 500]).toContain(res.statusCode)
    if (res.statusCode === 500) expect(res.json().error).toMatch(/ran out of memory|Stack overflow|Maximum call stack/)
    expect(res.body).not.toContain('finished')

    // The stopped work is gone: its host process is dead, nothing burns CPU, and the next run works.
    const killed = hostsBefore.filter((pid) => !hostPids(hf).includes(pid))
    for (const pid of killed) await waitFor(() => isAlive(pid) ? undefined : true)
    const survivors = hostsBefore.filter((pid) => !killed.includes(pid))
    expect(await cpuMsOver(survivors, 500)).toBeLessThan(200)
    const next = await hf.app.inject({ method: 'POST', url: '/api/webrequest/quick', payload: { n: 1 } })
    expect(next.json()).toEqual({ ok: true, n: 1 })
  })
})

describe('runaway expressions under the default caps fail fast with a clear error', () => {
  let hf: TestApp
  beforeAll(async () => { hf = await buildTestApp(configWith({})) })
  afterAll(async () => { await hf.close() })

  it.each([
    ['string-of-huge-range', /maximum sequence length of \d+ was exceeded/],
    ['sort-of-huge-range', /maximum sequence length/],
    ['reduce-over-huge-range', /maximum sequence length/],
    ['deep-recursion', /Stack overflow/]
  ])('%s', async (slug, message) => {
    const { res, ms } = await runawayWhileServing(hf, slug)
    expect(ms).toBeLessThan(500)
    expect(res.statusCode).toBe(500)
    expect(res.json().error).toMatch(message)
    expect(res.json().error).toMatch(/set step "runaway"/)
  })

  it('endless-tail-recursion still needs the deadline, and its host is killed when it does not answer', async () => {
    const hostsBefore = hostPids(hf)
    const { res } = await runawayWhileServing(hf, 'endless-tail-recursion')
    expect(res.statusCode).toBe(504)
    // Nothing in the host stops a JSONata loop: it is killed once its moment to answer has passed.
    const killed = await waitFor(() => hostsBefore.find((pid) => !isAlive(pid)))
    expect(hostPids(hf)).not.toContain(killed)
    expect((await hf.app.inject({ method: 'POST', url: '/api/webrequest/quick', payload: { n: 1 } })).json().n).toBe(1)
  })
})
