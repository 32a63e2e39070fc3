import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config/load-config.js'
import { createHookflow } from '../src/hookflow.js'
import { createLogger } from '../src/logging.js'
import { testConfig } from './helpers.js'

const scenarios = { ip: { steps: [{ set: { $body: { ip: '{% ip %}' } } }] } }

async function appWith (extra: Record<string, unknown>) {
  let lines = ''
  const destination = new Writable({ write (chunk, _encoding, done) { lines += chunk.toString(); done() } })
  const loaded = parseConfig(testConfig({ scenarios, webrequests: [{ slug: 'ip', scenario: 'ip' }], ...extra }), { env: {} })
  const hf = await createHookflow(loaded, { dbPath: ':memory:', log: createLogger({ level: 'info', destination }) })
  return { hf, logs: () => lines }
}

describe('logs', () => {
  it('carry the request id and never a credential', async () => {
    const { hf, logs } = await appWith({})
    const res = await hf.app.inject({
      method: 'GET',
      url: '/api/webrequest/ip?token=very-secret-token&x=1',
      headers: { authorization: 'Bearer header-secret', cookie: 'sid=cookie-secret' }
    })
    await hf.close()
    const text = logs()
    expect(text).toContain(res.headers['x-request-id'] as string)
    expect(text).toContain('token=%5Bredacted%5D')
    expect(text).not.toMatch(/very-secret-token|header-secret|cookie-secret/)
  })
})

describe('trustProxy', () => {
  const forwarded = { 'x-forwarded-for': '203.0.113.9' }

  it('ignores X-Forwarded-For by default', async () => {
    const { hf } = await appWith({})
    const res = await hf.app.inject({ method: 'GET', url: '/api/webrequest/ip', headers: forwarded })
    expect(res.json().ip).toBe('127.0.0.1')
    await hf.close()
  })

  it('believes X-Forwarded-For from a listed proxy only', async () => {
    const trusted = await appWith({ server: { trustProxy: ['127.0.0.1'] } })
    expect((await trusted.hf.app.inject({ method: 'GET', url: '/api/webrequest/ip', headers: forwarded })).json().ip).toBe('203.0.113.9')
    await trusted.hf.close()
    const other = await appWith({ server: { trustProxy: ['10.0.0.0/8'] } })
    expect((await other.hf.app.inject({ method: 'GET', url: '/api/webrequest/ip', headers: forwarded })).json().ip).toBe('127.0.0.1')
    await other.hf.close()
  })

  it('trusts a given number of hops', async () => {
    const { hf } = await appWith({ server: { trustProxy: 1 } })
    const res = await hf.app.inject({ method: 'GET', url: '/api/webrequest/ip', headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' } })
    expect(res.json().ip).toBe('203.0.113.9')
    await hf.close()
  })
})
