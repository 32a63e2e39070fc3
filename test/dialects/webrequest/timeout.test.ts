import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminAuth, buildTestApp, testConfig, type TestApp } from '../../helpers.js'

const config = testConfig({
  scenarios: {
    slow: { steps: [{ set: { before: true } }, { name: 'wait', delay: 3000 }, { name: 'after', set: { $body: { late: true } } }] },
    quick: { steps: [{ set: { $body: { ok: true } } }] }
  },
  webrequests: [{ slug: 'slow', scenario: 'slow', timeoutMs: 300 }, { slug: 'quick', scenario: 'quick' }]
})

interface RawReply { status: number, headers: Record<string, unknown>, body: string, socketClosed: Promise<void>, elapsedMs: number }

/** One request over a keep-alive capable socket, so we can see whether the server closes it. */
function call (port: number, path: string): Promise<RawReply> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { connection: 'keep-alive' } }, (res) => {
      const socket = res.socket
      const socketClosed = new Promise<void>((resolveClose) => socket.once('close', () => resolveClose()))
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socketClosed, elapsedMs: Date.now() - started }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('sync deadline over a real socket', () => {
  let hf: TestApp
  let port: number
  beforeAll(async () => {
    hf = await buildTestApp(config)
    await hf.app.listen({ host: '127.0.0.1', port: 0 })
    port = (hf.app.server.address() as AddressInfo).port
  })
  afterAll(async () => { await hf.close() })

  it('answers 504 at the deadline, closes the connection and starts no later step', async () => {
    const reply = await call(port, '/api/webrequest/slow')
    expect(reply.status).toBe(504)
    expect(reply.elapsedMs).toBeGreaterThanOrEqual(290)
    expect(reply.elapsedMs).toBeLessThan(1500)
    const body = JSON.parse(reply.body)
    expect(body).toEqual({ error: 'scenario timed out', runId: expect.any(Number) })
    expect(reply.headers.connection).toBe('close')
    await reply.socketClosed

    // Long after the delay would have ended, the run still shows it stopped at "wait".
    await new Promise((resolve) => setTimeout(resolve, 3200))
    await hf.runs.flush()
    const run = (await hf.app.inject({ method: 'GET', url: `/api/runs/${body.runId}`, headers: adminAuth })).json()
    expect(run.status).toBe('timed_out')
    expect(run.steps.map((step: { name?: string, kind: string, status: string }) => [step.name ?? step.kind, step.status]))
      .toEqual([['set', 'ok'], ['wait', 'timed_out']])
    expect(run.output).toEqual({})
  })

  it('keeps serving other calls on a fresh connection', async () => {
    const reply = await call(port, '/api/webrequest/quick')
    expect(reply.status).toBe(200)
    expect(JSON.parse(reply.body)).toEqual({ ok: true })
  })
})
