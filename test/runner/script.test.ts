import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../src/config/load-config.js'
import { buildTestApp, cpuMsOver, hostPids, isAlive, tempDir, testConfig, waitFor, type TestApp } from '../helpers.js'

const ESCAPES: Record<string, string> = {
  dot: 'return { leak: this.constructor.constructor("return process")().env }',
  bracket: 'return { leak: this["constructor"]["constructor"]("return process")()["env"] }',
  template: 'const c = `constructor`; return { leak: this[c][c](`return process`)().env }',
  destructuring: 'const { constructor: { constructor: F } } = this; return { leak: F("return process")().env }',
  'caught error': 'try { null.x } catch (e) { return { leak: e.constructor.constructor("return process")().env } }',
  'handed-in object': 'return { leak: vars.body.constructor.constructor("return process")().env }',
  'handed-in array': 'return { leak: vars.body.list.map.constructor("return process")().env }',
  require: 'return { leak: require("fs").readFileSync("/etc/passwd", "utf8") }',
  'dynamic import': 'return { leak: import("child_process") }',
  'process.env': 'return { leak: process.env }',
  network: 'return { leak: typeof fetch === "function" ? fetch("http://127.0.0.1:1") : undefined, xhr: typeof XMLHttpRequest }'
}

const slugOf = (escape: string): string => `escape-${escape.replace(/[^a-z]+/g, '-')}`

const dir = tempDir()
writeFileSync(join(dir, 'count.js'), 'return { count: vars.body.items.length, first: vars.body.items[0] }')

const config = testConfig({
  runner: { hosts: 2, minHosts: 2 },
  scenarios: {
    count: { steps: [{ script: 'return { n: vars.body.items.length }' }, { set: { $body: { n: '{% n %}' } } }] },
    'from-file': { steps: [{ script: { file: 'count.js' } }, { set: { $body: { count: '{% count %}', first: '{% first %}' } } }] },
    spin: { steps: [{ name: 'spin', script: 'while (true) {}' }, { set: { $body: 'finished' } }] },
    hog: { steps: [{ name: 'hog', script: 'const a = []; while (true) a.push(new Array(1e6).fill(1.5))' }] },
    // One allocation far past the isolate's cap: V8 aborts the process that hosts the isolate.
    'one-huge-allocation': { steps: [{ script: 'return { n: Array.from({ length: 5e7 }, () => 1).length }' }] },
    throws: { steps: [{ name: 'thrower', script: 'throw new Error("nope")' }] },
    number: { steps: [{ script: 'return 42' }] },
    array: { steps: [{ script: 'return [1, 2]' }] },
    'bad-name': { steps: [{ script: 'return { "__proto__x y": 1 }' }] },
    'pollute-global': { steps: [{ script: 'globalThis.leftBehind = 1; Object.prototype.polluted = true; Array.prototype.push = null; return {}' }] },
    'check-global': { steps: [{ script: 'return { left: typeof globalThis.leftBehind, polluted: ({}).polluted === true, push: typeof [].push }' }, { set: { $body: { left: '{% left %}', polluted: '{% polluted %}', push: '{% push %}' } } }] },
    quick: { steps: [{ set: { $body: { ok: true } } }] },
    ...Object.fromEntries(Object.entries(ESCAPES).map(([name, source]) => [slugOf(name), { steps: [{ script: source }, { set: { $body: { leak: '{% leak %}' } } }] }]))
  },
  webrequests: [
    ...['count', 'from-file', 'hog', 'one-huge-allocation', 'throws', 'number', 'array', 'bad-name', 'pollute-global', 'check-global', 'quick'].map((slug) => ({ slug, scenario: slug })),
    { slug: 'spin', scenario: 'spin', timeoutMs: 1000 },
    ...Object.keys(ESCAPES).map((name) => ({ slug: slugOf(name), scenario: slugOf(name) }))
  ]
})

describe('script steps', () => {
  let hf: TestApp
  beforeAll(async () => { hf = await buildTestApp(config, { dir }) })
  afterAll(async () => { await hf.close() })

  const call = async (slug: string, payload: unknown = {}) => await hf.app.inject({ method: 'POST', url: `/api/webrequest/${slug}`, payload: payload as object })

  it('gets a copy of the variables and merges what it returns', async () => {
    const res = await call('count', { items: [1, 2, 3] })
    expect(res.json()).toEqual({ n: 3 })
  })

  it('loads a script file relative to the config file', async () => {
    const res = await call('from-file', { items: ['a', 'b'] })
    expect(res.json()).toEqual({ count: 2, first: 'a' })
  })

  it('stops while(true) at the deadline while other calls keep being answered', async () => {
    const hostsBefore = hostPids(hf)
    const started = Date.now()
    const spin = call('spin').then((res) => ({ res, ms: Date.now() - started }))
    await new Promise((resolve) => setTimeout(resolve, 50))
    const others = await Promise.all(Array.from({ length: 50 }, async () => {
      const t = Date.now()
      const res = await call('quick')
      return { status: res.statusCode, ms: Date.now() - t }
    }))
    for (const other of others) {
      expect(other.status).toBe(200)
      expect(other.ms).toBeLessThan(500)
    }
    const { res, ms } = await spin
    expect(res.statusCode).toBe(504)
    expect(ms).toBeLessThan(1500)
    // The sandbox stopped at the deadline on its own, so its host answered and stays (no new
    // process to fork), and nothing keeps burning CPU.
    await waitFor(() => [...hostPids(hf)].sort().join() === [...hostsBefore].sort().join() ? true : undefined)
    expect(hostsBefore.every(isAlive)).toBe(true)
    expect(await cpuMsOver(hostsBefore, 500)).toBeLessThan(200)
    expect((await call('count', { items: [] })).json()).toEqual({ n: 0 })
  })

  it('stops a script that allocates without end by its memory cap, before the deadline', async () => {
    const started = Date.now()
    const res = await call('hog')
    expect(res.statusCode).toBe(500)
    expect(res.json().error).toMatch(/script step "hog" .* failed: script exceeded its memory limit of 64 MB/)
    expect(Date.now() - started).toBeLessThan(5000)
    expect((await call('quick')).statusCode).toBe(200)
  })

  it('survives a script whose single huge allocation aborts its evaluation host', async () => {
    const res = await call('one-huge-allocation')
    expect(res.statusCode).toBe(500)
    expect(res.json().error).toMatch(/ran out of memory|evaluation host crashed|memory limit/)
    expect((await call('count', { items: [1] })).json()).toEqual({ n: 1 })
  })

  it('fails the step with a clear message when the script throws or returns a non-object', async () => {
    expect((await call('throws')).json().error).toMatch(/script step "thrower" .* failed: script threw: .*nope/)
    expect((await call('number')).json().error).toMatch(/script must return an object of variables, got number/)
    expect((await call('array')).json().error).toMatch(/got an array/)
    expect((await call('bad-name')).json().error).toMatch(/invalid variable name/)
  })

  it('does not let one run change globals or prototypes for the next', async () => {
    await call('pollute-global')
    for (let i = 0; i < 4; i++) {
      expect((await call('check-global')).json()).toEqual({ left: 'undefined', polluted: false, push: 'function' })
    }
  })

  it.each(Object.keys(ESCAPES))('cannot escape the sandbox via %s', async (name) => {
    const res = await call(slugOf(name), { list: [1] })
    // Either the step fails (ReferenceError, not cloneable) or nothing of the host comes back.
    if (res.statusCode === 200) {
      expect(res.json().leak ?? null).toBeNull()
    } else {
      expect(res.statusCode).toBe(500)
      expect(res.json().error).toMatch(/script (threw|must return)|could not be cloned/)
    }
    expect(res.body).not.toMatch(/root:|PATH|HOME/)
  })
})

describe('script config', () => {
  it('refuses a script that does not compile, with its path', () => {
    const raw = { scenarios: { s: { steps: [{ set: {} }, { script: 'return {' }] } } }
    expect(() => parseConfig(raw, { env: {} })).toThrow(ConfigError)
    try { parseConfig(raw, { env: {} }) } catch (err) {
      expect((err as ConfigError).problems[0]).toMatch(/^scenarios\.s\.steps\[1\]\.script: script does not compile/)
    }
  })

  it('refuses a script file that cannot be read, with its path', () => {
    const raw = { scenarios: { s: { steps: [{ script: { file: 'missing.js' } }] } } }
    try {
      parseConfig(raw, { env: {}, dir: tempDir() })
      expect.unreachable()
    } catch (err) {
      expect((err as ConfigError).problems[0]).toMatch(/^scenarios\.s\.steps\[0\]\.script\.file: cannot read .*missing\.js: ENOENT/)
    }
  })
})
