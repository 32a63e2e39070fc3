import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, testConfig, type TestApp } from '../helpers.js'
import { startFakeService } from './fake-service.js'

const CLIENT = 'device-token-0123456789abcdef'
const SIGNING = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

describe('/api/proxy and the egress policy', () => {
  let hf: TestApp
  let fake: Awaited<ReturnType<typeof startFakeService>>
  let open: TestApp

  beforeAll(async () => {
    fake = await startFakeService()
    const port = fake.port
    const egress = {
      allow: [`http://127\\.0\\.0\\.1:${port}/.*`, `http://localhost:${port}/.*`],
      ports: [80, 443, port],
      allowNetworks: ['127.0.0.1'],
      headers: { 'X-Static': 'from-config' },
      services: [
        { match: `http://127\\.0\\.0\\.1:${port}/p1.*`, token: 'service-token-p1', protocol: 1 },
        { match: `http://127\\.0\\.0\\.1:${port}/echo.*`, token: 'service-token-echo' }
      ],
      sign: { secret: SIGNING },
      maxResponseBytes: 1000,
      timeoutMs: 800,
      followRedirects: true
    }
    hf = await buildTestApp(testConfig({ egress, clients: [{ id: 'kiosk-7', token: CLIENT, labels: { shop: '12' } }] }))
    // The same service, but the server may not reach loopback at all.
    open = await buildTestApp(testConfig({ egress: { ...egress, allowNetworks: [] }, clients: [{ id: 'kiosk-7', token: CLIENT }] }))
  })
  afterAll(async () => {
    await hf.close()
    await open.close()
    fake.server.close()
  })

  const proxy = async (target: string, options: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', headers?: Record<string, string>, payload?: string, app?: TestApp } = {}) =>
    await (options.app ?? hf).app.inject({
      method: options.method ?? 'GET',
      url: `/api/proxy?url=${encodeURIComponent(target)}`,
      headers: { authorization: `Bearer ${CLIENT}`, ...options.headers },
      payload: options.payload
    })
  const hits = (path: string): number => fake.seen.filter((seen) => seen.path === path).length

  it('forwards an allowed call with identity headers, the service token and a signature', async () => {
    const res = await proxy(`${fake.base}/echo?x=1`, { method: 'POST', payload: '{"a":1}', headers: { 'content-type': 'application/json', 'x-custom': 'kept' } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-upstream']).toBe('yes')
    const seen = res.json()
    expect(seen.method).toBe('POST')
    expect(seen.body).toBe('{"a":1}')
    expect(seen.headers).toMatchObject({ 'x-hookflow-client-id': 'kiosk-7', 'x-static': 'from-config', 'x-custom': 'kept', authorization: 'Bearer service-token-echo' })
    const signed = fake.seen.at(-1)!
    expect(new Webhook(SIGNING).verify(signed.body, signed.headers as Record<string, string>)).toEqual({ a: 1 })
  })

  it('never lets reserved headers or the caller’s own Authorization through', async () => {
    const res = await proxy(`${fake.base}/plain`, {
      headers: { 'x-hookflow-client-id': 'forged', 'x-hookflow-run-id': '999', expect: '100-continue', 'proxy-authorization': 'Basic eA==', host: 'evil.example' }
    })
    const seen = res.json().headers
    expect(seen['x-hookflow-client-id']).toBe('kiosk-7')
    expect(seen['x-hookflow-run-id']).toBeUndefined()
    expect(seen.expect).toBeUndefined()
    expect(seen['proxy-authorization']).toBeUndefined()
    expect(seen.host).toBe(`127.0.0.1:${fake.port}`)
    // No service matches /plain: the client's token (for us) must not leak to the target.
    expect(seen.authorization).toBeUndefined()
  })

  it('answers 403 with the URL for a URL outside the allow-list, and the target sees nothing', async () => {
    const before = fake.seen.length
    const res = await proxy('https://another.host.com.evil.net/')
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual({ error: 'url not allowed', url: 'https://another.host.com.evil.net/' })
    expect((await proxy(`https://evil.net/?${fake.base}/echo`)).statusCode).toBe(403)
    expect(fake.seen.length).toBe(before)
  })

  it('unwraps protocol 1, and answers 502 when a service breaks it', async () => {
    const res = await proxy(`${fake.base}/p1`)
    expect(res.statusCode).toBe(201)
    expect(res.json()).toEqual({ unwrapped: true })
    expect(fake.seen.at(-1)!.headers.authorization).toBe('Bearer service-token-p1')
    const broken = await proxy(`${fake.base}/p1-broken`)
    expect(broken.statusCode).toBe(502)
    expect(broken.json().error).toMatch(/protocol 1/)
  })

  it.each(['application/x-www-form-urlencoded', 'application/json', 'application/xml', 'text/plain', 'text/csv', 'image/png', 'multipart/form-data; boundary=x'])('lets a %s body through', async (type) => {
    expect((await proxy(`${fake.base}/plain`, { method: 'POST', payload: 'data', headers: { 'content-type': type } })).statusCode).toBe(200)
  })

  it('refuses other body types with 415, and other methods with 405', async () => {
    const before = fake.seen.length
    const exe = await proxy(`${fake.base}/plain`, { method: 'POST', payload: 'MZ', headers: { 'content-type': 'application/x-msdownload' } })
    expect(exe.statusCode).toBe(415)
    expect((await proxy(`${fake.base}/plain`, { method: 'PATCH', payload: '{}', headers: { 'content-type': 'application/json' } })).statusCode).toBe(405)
    expect(fake.seen.length).toBe(before)
  })

  it('refuses loopback when it is not in allowNetworks, by literal address and by name', async () => {
    const before = fake.seen.length
    const literal = await proxy(`${fake.base}/echo`, { app: open })
    expect(literal.statusCode).toBe(403)
    expect(literal.json().error).toMatch(/SSRF guard/)
    const named = await proxy(`http://localhost:${fake.port}/echo`, { app: open })
    expect(named.statusCode).toBe(403)
    expect(named.json().error).toMatch(/SSRF guard/)
    expect(fake.seen.length).toBe(before)
    // With loopback allowed the name resolves and connects.
    expect((await proxy(`http://localhost:${fake.port}/echo`)).statusCode).toBe(200)
  })

  it('checks every redirect hop: a redirect to a refused address fails', async () => {
    const toMetadata = await proxy(`${fake.base}/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`)
    expect(toMetadata.statusCode).toBe(403)
    const toFile = await proxy(`${fake.base}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`)
    expect(toFile.statusCode).toBe(403)
    const allowed = await proxy(`${fake.base}/redirect?to=${encodeURIComponent('/echo')}`)
    expect(allowed.statusCode).toBe(200)
  })

  it('caps reply size (502) and time, even for a reply that trickles (504)', async () => {
    expect((await proxy(`${fake.base}/big`)).statusCode).toBe(502)
    const started = Date.now()
    const slow = await proxy(`${fake.base}/trickle`)
    expect(slow.statusCode).toBe(504)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('answers 401 without a client token', async () => {
    const res = await hf.app.inject({ method: 'GET', url: `/api/proxy?url=${encodeURIComponent(`${fake.base}/echo`)}` })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ error: 'missing or invalid client token' })
  })

  it('refuses a WebSocket upgrade over a real socket', async () => {
    await hf.app.listen({ host: '127.0.0.1', port: 0 })
    const port = (hf.app.server.address() as AddressInfo).port
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: `/api/proxy?url=${encodeURIComponent(`${fake.base}/echo`)}`, headers: { connection: 'Upgrade', upgrade: 'websocket', authorization: `Bearer ${CLIENT}`, 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } })
      req.on('response', (res) => resolve(res.statusCode ?? 0))
      req.on('upgrade', () => resolve(101))
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(400)
  })
})
