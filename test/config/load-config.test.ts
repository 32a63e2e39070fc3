import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseConfig, resolveConfigPath } from '../../src/config/load-config.js'
import { tempDir } from '../helpers.js'

const scenario = { steps: [{ set: { $body: 'ok' } }] }

function problems (raw: unknown, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(raw, { env })
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

describe('config validation', () => {
  it('accepts an empty config and fills the defaults', () => {
    const { config } = parseConfig({}, { env: {} })
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 3234, trustProxy: false })
    expect(config.database.path).toBe('data/hookflow.db')
    expect(config.admin.tokens).toEqual([])
  })

  it('names the field path of an endpoint that references an unknown scenario', () => {
    const raw = {
      scenarios: { a: scenario },
      webrequests: [{ slug: 'one', scenario: 'a' }, { slug: 'two', scenario: 'a' }, { slug: 'three', scenario: 'x' }]
    }
    expect(problems(raw)).toEqual(['webrequests[2].scenario: unknown scenario "x"'])
  })

  it('refuses trustProxy: true with the reason', () => {
    const [problem] = problems({ server: { trustProxy: true } })
    expect(problem).toMatch(/^server\.trustProxy: true is refused/)
  })

  it('accepts trustProxy as a list of CIDRs or a hop count, and refuses garbage', () => {
    expect(problems({ server: { trustProxy: ['10.0.0.0/8', '::1'] } })).toEqual([])
    expect(problems({ server: { trustProxy: 2 } })).toEqual([])
    expect(problems({ server: { trustProxy: ['10.0.0.0/99'] } })[0]).toMatch(/^server\.trustProxy/)
  })

  it('refuses unknown top-level keys', () => {
    expect(problems({ plugins: {} })).toEqual(['(root): unknown key "plugins"'])
  })

  it('refuses an event token shorter than 8 characters, a duplicate name and an unknown scenario', () => {
    const raw = { scenarios: { a: scenario }, events: [{ name: 'e', scenario: 'a', token: 'short' }, { name: 'e', scenario: 'x' }] }
    expect(problems(raw)).toEqual([
      'events[0].token: must be at least 8 characters',
      'events[1].scenario: unknown scenario "x"',
      'events[1].name: duplicate event name "e"'
    ])
  })

  it('refuses a sync timeout above the 60 s hard limit', () => {
    const raw = { scenarios: { a: scenario }, webrequests: [{ slug: 'x', scenario: 'a', timeoutMs: 61_000 }] }
    expect(problems(raw)[0]).toMatch(/^webrequests\[0\]\.timeoutMs: must be at most 60000/)
  })

  it('names the path of a step with an unknown kind', () => {
    const raw = { scenarios: { order: { steps: [{ set: {} }, { set: {} }, { set: {} }, { sett: { a: 1 } }] } } }
    expect(problems(raw)).toEqual(['scenarios.order.steps[3]: unknown step kind (keys: sett); expected one of: set, if, switch, each, end, fail, delay, emit, http, record, script'])
  })

  it('takes a delay or an http method as a {% expression %} and refuses other strings, saying what they may be', () => {
    const steps = (step: unknown): unknown => ({ scenarios: { order: { steps: [step] } } })
    expect(problems(steps({ delay: '{% $wait %}' }))).toEqual([])
    expect(problems(steps({ http: { method: '{%\n$method\n%}', url: 'https://example.com/' } }))).toEqual([])
    expect(problems(steps({ delay: '5s' })).join('\n')).toContain('scenarios.order.steps[0].delay: must be milliseconds or a {% expression %}')
    expect(problems(steps({ http: { method: 'FETCH', url: 'https://example.com/' } })).join('\n'))
      .toContain('scenarios.order.steps[0].http.method: must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or a {% expression %}')
  })

  it('names the path of a nested step missing its parts', () => {
    const raw = { scenarios: { order: { steps: [{ if: true, then: [{ if: '{% x %}' }] }] } } }
    expect(problems(raw)).toEqual(['scenarios.order.steps[0].then[0].then: Invalid input: expected array, received undefined'])
  })

  it('names the path of an emit of an unknown scenario', () => {
    const raw = { scenarios: { a: { steps: [{ each: '{% x %}', steps: [{ emit: 'ghost' }] }] } } }
    expect(problems(raw)).toEqual(['scenarios.a.steps[0].steps[0].emit: unknown scenario "ghost"'])
  })

  it('names the path of a malformed onError or retry', () => {
    const raw = { scenarios: { a: { steps: [{ set: {}, onError: 'ignore' }, { set: {}, retry: { attempts: 0 } }] } } }
    expect(problems(raw)).toEqual([
      'scenarios.a.steps[0].onError: must be "fail", "continue" or { "set": { … } }',
      'scenarios.a.steps[1].retry.attempts: Too small: expected number to be >=1'
    ])
  })

  it('refuses an egress.allow pattern that is not a regular expression', () => {
    expect(problems({ egress: { allow: ['https://(unclosed'] } })[0]).toMatch(/^egress\.allow\[0\]: not a valid regular expression/)
    expect(problems({ egress: { services: [{ match: '[', token: 'service-token' }] } })[0]).toMatch(/^egress\.services\[0\]\.match: not a valid regular expression/)
    expect(problems({ egress: { sign: { secret: 'plain' } } })[0]).toMatch(/^egress\.sign\.secret: must be whsec_/)
    expect(problems({ egress: { allowNetworks: ['10.0.0.0/33'] } })[0]).toMatch(/^egress\.allowNetworks\[0\]/)
  })

  it('reports JSONata syntax errors at load with their path', () => {
    const raw = { scenarios: { order: { steps: [{ set: { total: '{% body.qty * %}' } }] } } }
    const [problem] = problems(raw)
    expect(problem).toMatch(/^scenarios\.order\.steps\[0\]\.set\.total: JSONata syntax error/)
  })

  it('refuses reserved variable names in set', () => {
    const raw = { scenarios: { a: { steps: [{ set: { __proto__: 1 } }] } } }
    // JSON.parse keeps "__proto__" as an own key; build it the same way.
    const parsed = JSON.parse(JSON.stringify(raw).replace('"set":{}', '"set":{"__proto__":1}'))
    expect(problems(parsed)[0]).toMatch(/^scenarios\.a\.steps\[0\]\.set/)
  })

  it('resolves secrets from the environment and from files, and says which is missing', () => {
    const dir = tempDir()
    const file = join(dir, 'token')
    writeFileSync(file, 'file-token-0123456789abc\n')
    const raw = { admin: { tokens: [{ token: { env: 'ADMIN_TOKEN' }, role: 'admin' }, { token: { file }, role: 'viewer' }] } }
    const { config } = parseConfig(raw, { env: { ADMIN_TOKEN: 'env-token-0123456789abc' } })
    expect(config.admin.tokens.map((entry) => entry.token)).toEqual(['env-token-0123456789abc', 'file-token-0123456789abc'])
    expect(problems(raw)).toEqual(['admin.tokens[0].token: environment variable ADMIN_TOKEN is not set'])
  })

  it('refuses short admin tokens', () => {
    expect(problems({ admin: { tokens: [{ token: 'short', role: 'admin' }] } })[0]).toMatch(/^admin\.tokens\[0\]\.token: must be at least 16/)
  })

  it('lets HOOKFLOW_PORT, HOOKFLOW_HOST and HOOKFLOW_DB override the file, validated', () => {
    const { config } = parseConfig({ server: { port: 1 } }, { env: { HOOKFLOW_PORT: '4000', HOOKFLOW_HOST: '0.0.0.0', HOOKFLOW_DB: '/tmp/x.db' } })
    expect(config.server.port).toBe(4000)
    expect(config.server.host).toBe('0.0.0.0')
    expect(config.database.path).toBe('/tmp/x.db')
    expect(problems({}, { HOOKFLOW_PORT: 'eighty' })[0]).toMatch(/^server\.port/)
  })

  it('reports a file that is not JSON', () => {
    const file = join(tempDir(), 'bad.json')
    writeFileSync(file, '{ "server": ')
    expect(() => loadConfig(file, {})).toThrow(/not valid JSON/)
  })

  it('takes the config path from --config, then HOOKFLOW_CONFIG, then the fallback', () => {
    expect(resolveConfigPath(['--config', 'a.json'], { HOOKFLOW_CONFIG: 'b.json' }, 'c.json')).toBe('a.json')
    expect(resolveConfigPath(['--config=a.json'], {}, 'c.json')).toBe('a.json')
    expect(resolveConfigPath([], { HOOKFLOW_CONFIG: 'b.json' }, 'c.json')).toBe('b.json')
    expect(resolveConfigPath([], {}, 'c.json')).toBe('c.json')
  })

  it('loads config.example.json as shipped', () => {
    const loaded = loadConfig(join(import.meta.dirname, '..', '..', 'config.example.json'), {})
    expect(loaded.config.webrequests.length).toBeGreaterThan(0)
  })
})
