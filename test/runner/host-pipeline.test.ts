import { getPriority } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileOptionsOf } from '../../src/config/runner.js'
import { parseConfig } from '../../src/config/load-config.js'
import { createHostPool, type HostPool } from '../../src/runner/hosts/host-pool.js'
import { initialState } from '../../src/runner/interpreter.js'
import { buildTestApp, hostPids, isAlive, testConfig, waitFor, type TestApp } from '../helpers.js'

// `$sort` is not provably bounded: every call of `calc` is evaluated in a host.
const config = testConfig({
  runner: { hosts: 2, minHosts: 2, hostHeapMb: 64, maxSequence: 100_000_000, hostNice: 10 },
  scenarios: {
    calc: { steps: [{ set: { $body: { n: '{% body.n %}', doubled: '{% $sort($map(body.items, function($v) { $v * 2 })) %}' } } }] },
    // One synchronous regular-expression match of seconds (catastrophic backtracking): nothing
    // else runs in its host meanwhile.
    busy: { steps: [{ set: { x: `{% $contains('${'a'.repeat(25)}!', /^(a+)+$/) %}` } }] },
    // One synchronous allocation far past the host's heap.
    hog: { steps: [{ set: { x: '{% $string([1..10000000]) %}' } }] }
  },
  webrequests: [
    { slug: 'calc', scenario: 'calc' }
  ]
})

async function calc (hf: TestApp, n: number) {
  const started = Date.now()
  const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/calc', payload: { n, items: [n, n + 1] } })
  return { status: res.statusCode, body: res.json(), ms: Date.now() - started }
}

describe('evaluation hosts hold several segments at once', () => {
  let hf: TestApp
  beforeAll(async () => { hf = await buildTestApp(config) })
  afterAll(async () => { await hf.close() })

  it('runs its hosts at a lower CPU priority than the server (runner.hostNice, default 10)', () => {
    expect(parseConfig({}, { env: {} }).config.runner.hostNice).toBe(10)
    const pids = hostPids(hf)
    expect(pids.length).toBe(2)
    for (const pid of pids) expect(getPriority(pid)).toBe(Math.min(19, getPriority() + 10))
  })

  it('answers each of many concurrent calls with its own result', async () => {
    const calls = await Promise.all(Array.from({ length: 200 }, async (_, n) => await calc(hf, n)))
    for (const [n, call] of calls.entries()) {
      expect(call.status).toBe(200)
      expect(call.body).toEqual({ n, doubled: [2 * n, 2 * n + 2] })
    }
  })
})

/**
 * The pool itself, so that several segments are certainly in one host's pipe when the first of
 * them spins or kills the host: through HTTP, request timing decides where a segment lands.
 */
/** A pool of `size` hosts on the config above, for the describe block it is called in. */
function poolFor (size: number) {
  const { runner, scenarios } = parseConfig(config, { env: {} }).config
  let pool: HostPool
  beforeAll(async () => {
    pool = createHostPool({ size, min: size, heapMb: 64, setup: { scenarios, compile: compileOptionsOf(runner), limits: {} } })
    await pool.ready()
  })
  afterAll(async () => { await pool.close() })
  return {
    pids: () => pool.pids(),
    segment: async (scenario: string, vars: Record<string, unknown>, signal = new AbortController().signal) =>
      await pool.run({ scenario, state: initialState(vars), options: { deadline: Date.now() + 20_000 } }, signal)
  }
}

describe('a host holding several segments', () => {
  const pool = poolFor(2)
  const segment = pool.segment
  const calcs = (count: number) => Array.from({ length: count }, async (_, n) => {
    const started = Date.now()
    const result = await segment('calc', { body: { n, items: [n, n + 1] } })
    return { n, result, ms: Date.now() - started }
  })
  const doubledOf = (result: unknown) => (result as { state: { vars: { $body: unknown } } }).state.vars.$body

  it('hands the segments queued behind a blocking one to another host instead of waiting for it', async () => {
    const busy = segment('busy', {}).then(() => Date.now())
    // Dispatched in the same tick: the least busy host takes each, so some land behind the busy one.
    const done = await Promise.all(calcs(8))
    for (const { n, result, ms } of done) {
      expect(doubledOf(result)).toEqual({ n, doubled: [2 * n, 2 * n + 2] })
      expect(ms).toBeLessThan(1500)
    }
    const lastCalc = Date.now()
    expect(await busy).toBeGreaterThan(lastCalc)
  })

  it('when a host dies under several segments, runs each again alone: only the one that killed it fails', async () => {
    const before = pool.pids()
    const hog = segment('hog', {}).then(() => 'finished', (err: Error) => err.message)
    const done = await Promise.all(calcs(8))
    for (const { n, result } of done) expect(doubledOf(result)).toEqual({ n, doubled: [2 * n, 2 * n + 2] })
    expect(await hog).toMatch(/ran out of memory/)
    expect(pool.pids().some((pid) => !before.includes(pid))).toBe(true)
  })
})

describe('a host that evaluates a segment moved away from it', () => {
  const run = poolFor(1).segment

  it('does not blame its crash on the one segment it held: that one runs again alone', async () => {
    // The busy one blocks the only host; the hog waits in its pipe and is moved off it (stuck),
    // then cancelled: the host still holds it and will evaluate it after the busy one.
    const busy = run('busy', {})
    const cancelHog = new AbortController()
    const hog = run('hog', {}, cancelHog.signal).catch((err: Error) => err.name)
    await new Promise((resolve) => setTimeout(resolve, 400))
    cancelHog.abort()
    expect(await hog).toBe('AbortError')
    // Handed to the same host once the busy one is done, where the hog then kills it.
    const calc = await run('calc', { body: { n: 7, items: [7, 8] } })
    expect((calc as { state: { vars: { $body: unknown } } }).state.vars.$body).toEqual({ n: 7, doubled: [14, 16] })
    await busy
  })
})

describe('evaluation hosts run only for a config that needs them', () => {
  // A plain path: provably bounded, evaluated inline.
  const plain = { steps: [{ set: { $body: { n: '{% body.n %}' } } }] }
  let hf: TestApp | undefined
  afterAll(async () => { await hf?.close() })

  it('starts none when every scenario is evaluated inline, however many runs there are', async () => {
    hf = await buildTestApp(testConfig({
      runner: { hosts: 2, hostHeapMb: 64 },
      scenarios: { plain },
      webrequests: [{ slug: 'plain', scenario: 'plain' }]
    }))
    for (let n = 0; n < 20; n++) {
      const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/plain', payload: { n } })
      expect(res.json()).toEqual({ n })
    }
    expect(hostPids(hf)).toEqual([])
    await hf.close()
    hf = undefined
  })

  it('with runner.minHosts, has that many ready before the first request, so no run waits for one to start', async () => {
    hf = await buildTestApp(testConfig({
      runner: { hosts: 2, minHosts: 2, hostHeapMb: 64 },
      scenarios: { calc: config.scenarios.calc, plain },
      webrequests: [{ slug: 'calc', scenario: 'calc' }, { slug: 'plain', scenario: 'plain' }]
    }))
    expect(hostPids(hf)).toHaveLength(2)
    const first = await calc(hf, 2)
    expect(first.body).toEqual({ n: 2, doubled: [4, 6] })
    expect(first.ms).toBeLessThan(100)
    await hf.close()
    hf = undefined
  })

  it('keeps one host ready by default, and idle hosts beyond runner.minHosts exit', async () => {
    expect(parseConfig({}, { env: {} }).config.runner.minHosts).toBe(1)
    hf = await buildTestApp(testConfig({
      runner: { hosts: 2, hostHeapMb: 64, hostIdleMs: 300 },
      scenarios: { calc: config.scenarios.calc },
      webrequests: [{ slug: 'calc', scenario: 'calc' }]
    }))
    const [warm] = hostPids(hf)
    expect(hostPids(hf)).toEqual([warm])
    const first = await calc(hf, 2)
    expect(first.body).toEqual({ n: 2, doubled: [4, 6] })
    expect(first.ms).toBeLessThan(100)
    await Promise.all(Array.from({ length: 100 }, async (_, n) => await calc(hf!, n)))
    await waitFor(() => hostPids(hf!).length === 1 ? true : undefined)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(hostPids(hf)).toHaveLength(1)
    await hf.close()
    hf = undefined
  })

  it('with runner.minHosts 0, starts a host with the first run that needs one, more only while runs wait, and lets idle ones go', async () => {
    hf = await buildTestApp(testConfig({
      runner: { hosts: 2, minHosts: 0, hostHeapMb: 64, hostIdleMs: 300 },
      scenarios: { calc: config.scenarios.calc, plain },
      webrequests: [{ slug: 'calc', scenario: 'calc' }, { slug: 'plain', scenario: 'plain' }]
    }))
    expect(hostPids(hf)).toEqual([])
    expect((await hf.app.inject({ method: 'POST', url: '/api/webrequest/plain', payload: { n: 1 } })).json()).toEqual({ n: 1 })
    expect(hostPids(hf)).toEqual([])

    expect((await calc(hf, 2)).body).toEqual({ n: 2, doubled: [4, 6] })
    // One run at a time never needs a second host.
    for (let n = 0; n < 5; n++) expect((await calc(hf, n)).body).toEqual({ n, doubled: [2 * n, 2 * n + 2] })
    const [first] = hostPids(hf)
    expect(hostPids(hf)).toEqual([first])

    // Many at once: more hosts, never more than runner.hosts.
    const calls = await Promise.all(Array.from({ length: 100 }, async (_, n) => await calc(hf!, n)))
    for (const [n, call] of calls.entries()) expect(call.body).toEqual({ n, doubled: [2 * n, 2 * n + 2] })
    expect(hostPids(hf).length).toBeLessThanOrEqual(2)

    // Idle past runner.hostIdleMs: every host exits, and the next run starts one again.
    const idle = hostPids(hf)
    await waitFor(() => hostPids(hf!).length === 0 ? true : undefined)
    for (const pid of idle) await waitFor(() => isAlive(pid) ? undefined : true)
    expect((await calc(hf, 3)).body).toEqual({ n: 3, doubled: [6, 8] })
    expect(hostPids(hf)).toHaveLength(1)
    expect(idle).not.toContain(hostPids(hf)[0])
  })

  it('refuses runner.minHosts above runner.hosts, naming the field', () => {
    expect(() => parseConfig(testConfig({ runner: { hosts: 2, minHosts: 3 } }), { env: {} })).toThrow(/runner\.minHosts.*at most runner\.hosts \(2\)/s)
  })
})

describe('hosts that cannot start', () => {
  it('fail the waiting run after three attempts with the reason, then turn runs away at once', async () => {
    // A step the host cannot compile: every host dies before it is ready.
    const pool = createHostPool({ size: 2, heapMb: 64, setup: { scenarios: { broken: { steps: [{ nonsense: true }] } } as never, compile: compileOptionsOf(parseConfig(config, { env: {} }).config.runner), limits: {} } })
    try {
      const run = async () => await pool.run({ scenario: 'broken', state: initialState({}), options: { deadline: Date.now() + 20_000 } }, new AbortController().signal)
        .then(() => 'finished', (err: Error) => err.message)
      const started = Date.now()
      expect(await run()).toMatch(/^evaluation hosts fail to start: .*unknown step kind/)
      expect(Date.now() - started).toBeLessThan(10_000)
      const again = Date.now()
      expect(await run()).toMatch(/^evaluation hosts fail to start/)
      expect(Date.now() - again).toBeLessThan(100)
    } finally {
      await pool.close()
    }
  })
})

describe('a host killed at a run\'s deadline', () => {
  const pool = poolFor(1)

  it('is gone before its replacement starts: never more host processes than runner.hosts', async () => {
    const [killed] = pool.pids()
    const abort = new AbortController()
    const busy = pool.segment('busy', {}, abort.signal).catch((err: Error) => err.name)
    await new Promise((resolve) => setTimeout(resolve, 100))
    // The next run is asked for at once, as a caller retrying after its 504 would.
    abort.abort()
    const next = pool.segment('calc', { body: { n: 1, items: [1, 2] } })
    const replacement = await waitFor(() => pool.pids().find((pid) => pid !== killed))
    // When the new host exists, the killed one must not (its memory is freed first).
    expect(isAlive(killed)).toBe(false)
    expect(await busy).toBe('AbortError')
    expect((await next as { state: { vars: { $body: unknown } } }).state.vars.$body).toEqual({ n: 1, doubled: [2, 4] })
    expect(pool.pids()).toEqual([replacement])
  })
})
