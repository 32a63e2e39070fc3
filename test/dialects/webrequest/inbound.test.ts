import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { sign as githubSign } from '@octokit/webhooks-methods'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../../src/logging.js'
import { adminAuth, buildTestApp, sqlValue, tempDir, testConfig, waitFor, type TestApp } from '../../helpers.js'

const GITHUB_SECRET = 'github-webhook-secret'

function inboundConfig () {
  return testConfig({
    server: { maxJsonDepth: 20, bodyLimit: 100_000, headersTimeoutMs: 500 },
    scenarios: {
      echo: { steps: [{ set: { $body: { body: '{% body %}', files: '{% files %}', rawBody: '{% rawBody %}' } } }] },
      count: { steps: [{ delay: 300 }, { set: { $body: { n: '{% body.n %}', run: '{% run.id %}' } } }] }
    },
    webrequests: [
      { slug: 'github', scenario: 'echo', verify: { scheme: 'github', secrets: ['rotated-out-secret', GITHUB_SECRET] } },
      { slug: 'bearer', scenario: 'echo', auth: { bearer: ['bearer-token-123456'] } },
      { slug: 'basic', scenario: 'echo', auth: { basic: [{ user: 'sender', password: 'basic-password-1' }] } },
      { slug: 'ip', scenario: 'echo', auth: { ipAllow: ['10.0.0.0/8'] } },
      { slug: 'once', scenario: 'count', idempotency: { header: 'Idempotency-Key', ttlSec: 3600 } },
      { slug: 'limited', scenario: 'echo', rateLimit: { max: 3, windowSec: 60 } },
      { slug: 'echo', scenario: 'echo' }
    ]
  })
}

describe('inbound trust over HTTP', () => {
  let hf: TestApp
  let logs = ''
  beforeAll(async () => {
    const destination = new Writable({ write (chunk, _encoding, done) { logs += chunk.toString(); done() } })
    hf = await buildTestApp(inboundConfig(), { log: createLogger({ level: 'info', destination }) })
  })
  afterAll(async () => { await hf.close() })

  const post = async (slug: string, payload: string, headers: Record<string, string> = {}) =>
    await hf.app.inject({ method: 'POST', url: `/api/webrequest/${slug}`, payload, headers: { 'content-type': 'application/json', ...headers } })
  const stillWorks = async (): Promise<void> => {
    const res = await post('echo', '{"ok":true}')
    expect(res.statusCode).toBe(200)
    expect(res.json().body).toEqual({ ok: true })
  }

  it('runs a request GitHub signed, and refuses a forged or tampered one without running anything', async () => {
    const payload = '{"zen":"Keep it logically awesome."}'
    const ok = await post('github', payload, { 'x-hub-signature-256': await githubSign(GITHUB_SECRET, payload) })
    expect(ok.statusCode).toBe(200)
    await hf.runs.flush()
    const before = await sqlValue(hf, 'SELECT count(*) FROM runs')
    const forged = await post('github', payload, { 'x-hub-signature-256': await githubSign('guessed', payload) })
    expect(forged.statusCode).toBe(401)
    expect(forged.json()).toEqual({ error: 'signature check failed (github): signature does not match' })
    const tampered = await post('github', payload.replace('awesome', 'awesomE'), { 'x-hub-signature-256': await githubSign(GITHUB_SECRET, payload) })
    expect(tampered.statusCode).toBe(401)
    expect((await post('github', payload)).json().error).toMatch(/missing X-Hub-Signature-256/)
    await hf.runs.flush()
    expect(await sqlValue(hf, 'SELECT count(*) FROM runs')).toBe(before)
    // The expected signature is in no reply and no log line; the secret is in neither.
    const expected = await githubSign(GITHUB_SECRET, payload)
    expect(forged.body + tampered.body + logs).not.toContain(expected.slice(7))
    expect(logs).not.toContain(GITHUB_SECRET)
    expect(logs).toContain('signature check failed')
  })

  it('keeps the signature header out of the stored run', async () => {
    const payload = '{"stored":1}'
    const res = await post('github', payload, { 'x-hub-signature-256': await githubSign(GITHUB_SECRET, payload) })
    await hf.runs.flush()
    const run = (await hf.app.inject({ method: 'GET', url: `/api/runs/${res.headers['x-run-id']}`, headers: adminAuth })).json()
    expect(run.input.headers['x-hub-signature-256']).toBe('[redacted]')
  })

  it('checks bearer and basic credentials, and the ip gate', async () => {
    expect((await post('bearer', '{}')).statusCode).toBe(401)
    expect((await post('bearer', '{}', { authorization: 'Bearer wrong-token-000000' })).statusCode).toBe(401)
    expect((await post('bearer', '{}', { authorization: 'Bearer bearer-token-123456' })).statusCode).toBe(200)
    const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` })
    expect((await post('basic', '{}', basic('sender', 'nope'))).statusCode).toBe(401)
    expect((await post('basic', '{}', basic('sender', 'basic-password-1'))).statusCode).toBe(200)
    const outside = await post('ip', '{}')
    expect(outside.statusCode).toBe(403)
    expect(outside.json()).toEqual({ error: 'client address is not allowed for this endpoint' })
    await stillWorks()
  })

  it('starts one run per idempotency key, async and sync, and says so on repeats', async () => {
    const first = await hf.app.inject({ method: 'POST', url: '/api/webrequest/once?async=true', payload: { n: 1 }, headers: { 'idempotency-key': 'delivery-1' } })
    const again = await hf.app.inject({ method: 'POST', url: '/api/webrequest/once?async=true', payload: { n: 1 }, headers: { 'idempotency-key': 'delivery-1' } })
    expect(again.statusCode).toBe(200)
    expect(again.headers['x-run-id']).toBe(first.headers['x-run-id'])
    expect(again.headers['x-idempotent-replay']).toBe('true')

    const running = hf.app.inject({ method: 'POST', url: '/api/webrequest/once', payload: { n: 2 }, headers: { 'idempotency-key': 'delivery-2' } })
    await new Promise((resolve) => setTimeout(resolve, 100))
    const whileRunning = await hf.app.inject({ method: 'POST', url: '/api/webrequest/once', payload: { n: 2 }, headers: { 'idempotency-key': 'delivery-2' } })
    expect(whileRunning.statusCode).toBe(409)
    const original = await running
    expect(original.statusCode).toBe(200)
    await hf.runs.flush()
    const repeat = await hf.app.inject({ method: 'POST', url: '/api/webrequest/once', payload: { n: 2 }, headers: { 'idempotency-key': 'delivery-2' } })
    expect(repeat.json()).toEqual(original.json())
    expect(repeat.headers['x-run-id']).toBe(original.headers['x-run-id'])
    await hf.runs.flush()
    expect(await sqlValue(hf, "SELECT count(*) FROM runs WHERE endpoint = 'once'")).toBe(2)
  })

  it('rate-limits per endpoint and client with 429 and Retry-After', async () => {
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push(await post('limited', '{}'))
    expect(statuses.map((res) => res.statusCode)).toEqual([200, 200, 200, 429, 429])
    expect(statuses[3].headers['retry-after']).toBeDefined()
    expect(statuses[3].json().error).toMatch(/too many requests to "limited"/)
    await stillWorks()
  })

  it.each([
    ['an over-long body', () => post('echo', JSON.stringify({ x: 'y'.repeat(200_000) })), 413],
    ['deeply nested JSON', () => post('echo', '['.repeat(50) + ']'.repeat(50)), 400],
    ['very deeply nested JSON', () => post('echo', '['.repeat(20_000) + ']'.repeat(20_000)), 400],
    ['JSON one level deeper than maxJsonDepth (the shortest such text)', () => post('echo', '['.repeat(21) + ']'.repeat(21)), 400],
    ['JSON exactly maxJsonDepth deep', () => post('echo', '['.repeat(20) + ']'.repeat(20)), 200],
    ['a __proto__ key', () => post('echo', '{"__proto__":{"polluted":true}}'), 400],
    ['a constructor.prototype key', () => post('echo', '{"constructor":{"prototype":{"polluted":true}}}'), 400],
    ['invalid UTF-8', () => hf.app.inject({ method: 'POST', url: '/api/webrequest/echo', payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } }), 400],
    ['JSON that does not parse', () => post('echo', '{"a": tru'), 400],
    ['a form field named __proto__', () => hf.app.inject({ method: 'POST', url: '/api/webrequest/echo', payload: '__proto__[polluted]=1&constructor[prototype][polluted]=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 200]
  ])('answers %s with a clear error, and the next request works', async (_name, send, status) => {
    const res = await send()
    expect(res.statusCode).toBe(status)
    if (status !== 200) expect(res.json()).toEqual({ error: expect.any(String) })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined()
    await stillWorks()
  })

  it('treats body keys that mimic internal fields as plain data', async () => {
    const res = await post('echo', JSON.stringify({ files: [{ path: '/etc/passwd' }], filepath: '/etc/passwd', rawBody: 'forged' }))
    const out = res.json()
    expect(out.files).toEqual([])
    expect(out.rawBody).toContain('forged')
    expect(out.body.filepath).toBe('/etc/passwd')
    expect(res.body).not.toContain('root:')
  })

  it('survives a huge query string', async () => {
    const query = Array.from({ length: 500 }, (_, i) => `k${i}=${'v'.repeat(10)}`).join('&')
    const res = await hf.app.inject({ method: 'POST', url: `/api/webrequest/echo?${query}`, payload: '{}', headers: { 'content-type': 'application/json' } })
    expect(res.statusCode).toBe(200)
    await stillWorks()
  })
})

describe('hostile connections over a real socket', () => {
  let hf: TestApp
  let port: number
  beforeAll(async () => {
    hf = await buildTestApp(inboundConfig())
    await hf.app.listen({ host: '127.0.0.1', port: 0 })
    port = (hf.app.server.address() as AddressInfo).port
  })
  afterAll(async () => { await hf.close() })

  /** Writes raw bytes and returns what the server answered before closing. */
  const raw = (text: string, waitMs = 3000): Promise<string> => new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let answer = ''
    socket.on('data', (chunk) => { answer += chunk.toString() })
    const done = (): void => resolve(answer)
    socket.on('close', done)
    socket.on('error', done)
    setTimeout(() => { socket.destroy(); done() }, waitMs)
  })

  it('answers 10 000 headers or one 1 MB header with 431', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `x-h${i}: v`).join('\r\n')
    expect(await raw(`GET /api/webrequest/echo HTTP/1.1\r\nHost: x\r\n${many}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431/)
    expect(await raw(`GET /api/webrequest/echo HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(1024 * 1024)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431/)
    const res = await fetch(`http://127.0.0.1:${port}/api/webrequest/echo`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })
    expect(res.status).toBe(200)
  })

  it('drops a client that sends its headers too slowly', async () => {
    const started = Date.now()
    const answer = await raw('GET /api/webrequest/echo HTTP/1.1\r\nHost: x\r\nX-Slow: ', 5000)
    expect(Date.now() - started).toBeLessThan(4000)
    expect(answer === '' || /^HTTP\/1\.1 408/.test(answer)).toBe(true)
  })
})

describe('idempotency keys survive a restart', () => {
  it('refuses to start a second run for a key seen before the restart', async () => {
    const dbPath = join(tempDir(), 'hookflow.db')
    let hf = await buildTestApp(inboundConfig(), { dbPath })
    const first = await hf.app.inject({ method: 'POST', url: '/api/webrequest/once?async=true', payload: { n: 9 }, headers: { 'idempotency-key': 'before-restart' } })
    await waitFor(async () => {
      await hf.runs.flush()
      return await sqlValue(hf, 'SELECT status FROM runs WHERE id = ?', Number(first.headers['x-run-id'])) === 'succeeded' ? true : undefined
    })
    await hf.close()
    hf = await buildTestApp(inboundConfig(), { dbPath })
    const again = await hf.app.inject({ method: 'POST', url: '/api/webrequest/once?async=true', payload: { n: 9 }, headers: { 'idempotency-key': 'before-restart' } })
    expect(again.headers['x-run-id']).toBe(first.headers['x-run-id'])
    const sync = await hf.app.inject({ method: 'POST', url: '/api/webrequest/once', payload: { n: 9 }, headers: { 'idempotency-key': 'before-restart' } })
    expect(sync.json()).toEqual({ n: 9, run: Number(first.headers['x-run-id']) })
    expect(await sqlValue(hf, "SELECT count(*) FROM runs WHERE endpoint = 'once'")).toBe(1)
    await hf.close()
  })
})
