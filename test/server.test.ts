import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildTestApp, tempDir, testConfig } from './helpers.js'
import { startServer } from './server-process.js'

describe('the server process', () => {
  it('refuses to start on an invalid config and names the field', async () => {
    const file = join(tempDir(), 'bad.json')
    writeFileSync(file, JSON.stringify({ scenarios: { a: { steps: [] } }, webrequests: [{ slug: 'x', scenario: 'a' }, { slug: 'y', scenario: 'a' }, { slug: 'z', scenario: 'x' }] }))
    const server = startServer(['--config', file])
    expect(await server.exit).toBe(1)
    expect(server.output()).toContain('webrequests[2].scenario: unknown scenario "x"')
  })

  it('refuses trustProxy: true at start', async () => {
    const file = join(tempDir(), 'proxy.json')
    writeFileSync(file, JSON.stringify({ server: { trustProxy: true } }))
    const server = startServer([], { HOOKFLOW_CONFIG: file })
    expect(await server.exit).toBe(1)
    expect(server.output()).toContain('server.trustProxy: true is refused')
  })

  it('starts on config.example.json, serves its endpoints, and stops cleanly on SIGTERM', async () => {
    const server = startServer([], { HOOKFLOW_PORT: '0', HOOKFLOW_DB: join(tempDir(), 'hookflow.db') })
    const url = await server.url
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' })
    const res = await fetch(`${url}/api/webrequest/order-total`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ qty: 3, price: 10, name: 'Ann' }) })
    expect(await res.json()).toEqual({ total: 30, who: 'Ann' })
    const triage = await fetch(`${url}/api/webrequest/triage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 7, priority: 'urgent', items: ['billing', 'vip'] }) })
    expect(triage.status).toBe(202)
    expect(await triage.json()).toMatchObject({ queue: 'urgent', tags: ['BILLING', 'VIP'], notificationRun: expect.any(Number) })
    const ping = await fetch(`${url}/api/event`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=local-ping&data=hello' })
    expect(await ping.json()).toMatchObject({ success: true, id: expect.any(Number) })
    const basket = await fetch(`${url}/api/webrequest/basket`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines: [{ qty: 2, price: 5 }, { qty: 1, price: 3 }] }) })
    expect(await basket.json()).toEqual({ count: 2, total: 13 })
    server.kill('SIGTERM')
    expect(await server.exit).toBe(0)
  })
})

describe('health endpoints', () => {
  it('reports not ready when the database is unreachable', async () => {
    const hf = await buildTestApp(testConfig())
    expect((await hf.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200)
    hf.db.close()
    const res = await hf.app.inject({ method: 'GET', url: '/readyz' })
    expect(res.statusCode).toBe(503)
    expect(res.json()).toEqual({ status: 'database unreachable' })
    await hf.app.close()
  })
})

describe('reload by signal', () => {
  it('applies a changed config on SIGHUP, and keeps it on a bad one', async () => {
    const file = join(tempDir(), 'live.json')
    const config = (greeting: string) => JSON.stringify({ server: { logLevel: 'info' }, scenarios: { hi: { steps: [{ set: { $body: greeting } }] } }, webrequests: [{ slug: 'hi', scenario: 'hi' }] })
    writeFileSync(file, config('v1'))
    const server = startServer(['--config', file], { HOOKFLOW_PORT: '0', HOOKFLOW_DB: join(tempDir(), 'hookflow.db') })
    const url = await server.url
    expect(await (await fetch(`${url}/api/webrequest/hi`)).text()).toBe('v1')
    writeFileSync(file, config('v2'))
    server.kill('SIGHUP')
    const text = async (): Promise<string> => await (await fetch(`${url}/api/webrequest/hi`)).text()
    for (let i = 0; i < 50 && await text() !== 'v2'; i++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await text()).toBe('v2')
    writeFileSync(file, '{ "webrequests": [ { "slug": "hi", "scenario": "gone" } ] }')
    server.kill('SIGHUP')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await text()).toBe('v2')
    expect(server.output()).toContain('config reload refused')
    server.kill('SIGTERM')
    expect(await server.exit).toBe(0)
  })
})

