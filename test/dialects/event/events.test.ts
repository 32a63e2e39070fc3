import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sendEvent } from '../../../src/client/send-event.js'
import { eventSignature } from '../../../src/dialects/event/signature.js'
import { adminAuth, buildTestApp, sql, sqlValue, testConfig, waitFor, type TestApp } from '../../helpers.js'

const TOKEN = 's3cr3t-t0ken-42'

function eventsConfig (extra: Record<string, unknown> = {}) {
  return testConfig({
    scenarios: {
      'handle-order': { steps: [{ set: { $body: { got: '{% data %}', name: '{% event.name %}', type: '{% event.type %}' } } }] },
      local: { steps: [{ set: { $status: 201, $body: { local: '{% data %}' } } }] }
    },
    events: [
      { name: 'myevent', scenario: 'handle-order', token: TOKEN },
      { name: 'заказ', scenario: 'handle-order', token: 'токен-секрет-1' },
      { name: 'localonly', scenario: 'local' }
    ],
    ...extra
  })
}

describe('event signature', () => {
  it('matches the published example vector', () => {
    expect(eventSignature('myevent', 'value: 2345', '1234567484', TOKEN)).toBe('746b92b393989ac4dd79fead48e8fa4e3f3d3344506e60b56c96ec078607fe2a')
  })
})

describe('local event calls', () => {
  let hf: TestApp
  beforeAll(async () => { hf = await buildTestApp(eventsConfig()) })
  afterAll(async () => { await hf.close() })

  it('needs no rand or sign from a local address, and records the run before answering', async () => {
    const res = await hf.app.inject({ method: 'POST', url: '/api/event', payload: 'name=localonly&data=hello%20there', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toEqual({ success: true, port: 3234, id: expect.any(Number) })
    const [row] = await sql(hf, 'SELECT kind, endpoint, is_async FROM runs WHERE id = ?', body.id)
    expect(row).toEqual({ kind: 'event', endpoint: 'localonly', is_async: 1 })
    const run = await waitFor(async () => {
      const r = (await hf.app.inject({ method: 'GET', url: `/api/runs/${body.id}`, headers: adminAuth })).json()
      return r.status === 'succeeded' ? r : undefined
    })
    expect(run.output.$body).toEqual({ local: 'hello there' })
    expect(run.input.data).toBe('hello there')
    expect(run.input.event).toEqual({ id: expect.any(String), type: '$event', name: 'localonly' })
  })

  it('takes JSON and multipart too; a missing data is the empty string', async () => {
    const json = await hf.app.inject({ method: 'POST', url: '/api/event?wait=true', payload: { name: 'localonly' } })
    expect(json.statusCode).toBe(201)
    expect(json.json()).toEqual({ local: '' })
    const boundary = 'B0UND'
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nlocalonly\r\n--${boundary}\r\nContent-Disposition: form-data; name="data"\r\n\r\nfrom multipart\r\n--${boundary}--\r\n`
    const multipart = await hf.app.inject({ method: 'POST', url: '/api/event?wait=true', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } })
    expect(multipart.json()).toEqual({ local: 'from multipart' })
  })

  it('answers 400 for a missing name or non-text data, and runs nothing', async () => {
    const count = async (): Promise<number> => await sqlValue<number>(hf, 'SELECT count(*) AS n FROM runs')
    await hf.runs.flush()
    const before = await count()
    const noName = await hf.app.inject({ method: 'POST', url: '/api/event', payload: { data: 'x' } })
    expect(noName.statusCode).toBe(400)
    expect(noName.json()).toEqual({ success: false, error: expect.stringMatching(/missing name/) })
    const objectData = await hf.app.inject({ method: 'POST', url: '/api/event', payload: { name: 'localonly', data: { a: 1 } } })
    expect(objectData.statusCode).toBe(400)
    expect(objectData.json().error).toMatch(/data must be text/)
    const malformed = await hf.app.inject({ method: 'POST', url: '/api/event', payload: '{"name":', headers: { 'content-type': 'application/json' } })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().success).toBe(false)
    await hf.runs.flush()
    expect(await count()).toBe(before)
  })

  it('answers 404 for an unknown event from a local caller', async () => {
    const res = await hf.app.inject({ method: 'POST', url: '/api/event', payload: { name: 'nope' } })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ success: false, error: 'unknown event "nope"' })
  })

  it('checks rand and sign when a local caller sends them anyway', async () => {
    const res = await hf.app.inject({ method: 'POST', url: '/api/event', payload: { name: 'myevent', data: 'x', rand: '123', sign: 'abc' } })
    expect(res.statusCode).toBe(403)
  })

  it('runs with ?wait=true like a sync web request', async () => {
    const res = await hf.app.inject({ method: 'POST', url: '/api/event?wait=true', payload: { name: 'myevent', data: 'inline' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ got: 'inline', name: 'myevent', type: '$event' })
  })

  it('never treats X-Forwarded-For as the client without trustProxy', async () => {
    const remoteApp = await buildTestApp(eventsConfig({ server: { localNetworks: ['10.9.9.9'] } }))
    const res = await remoteApp.app.inject({ method: 'POST', url: '/api/event', payload: { name: 'localonly' }, headers: { 'x-forwarded-for': '10.9.9.9' } })
    expect(res.statusCode).toBe(403)
    await remoteApp.close()
  })
})

describe('remote event calls over a real socket', () => {
  let hf: TestApp
  let url: string
  const count = async (): Promise<number> => {
    await hf.runs.flush()
    return await sqlValue<number>(hf, "SELECT count(*) AS n FROM runs WHERE kind = 'event'")
  }
  const randid = async (): Promise<string> => ((await (await fetch(`${url}/api/randid`)).json()) as { rand: string }).rand
  const post = async (body: Record<string, string>, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/api/event`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
    return { status: res.status, body: await res.json() as Record<string, unknown> }
  }
  const signed = (name: string, data: string, rand: string, token = TOKEN) => ({ name, data, rand, sign: eventSignature(name, data, rand, token) })

  beforeAll(async () => {
    // No address is local: every call takes the remote path.
    hf = await buildTestApp(eventsConfig({ server: { localNetworks: [] }, randid: { ttlMs: 300, maxOutstanding: 1000, perClientPerMinute: 1000 } }))
    await hf.app.listen({ host: '127.0.0.1', port: 0 })
    url = `http://127.0.0.1:${(hf.app.server.address() as AddressInfo).port}`
  })
  afterAll(async () => { await hf.close() })

  it('issues rands of at least 10 decimal digits', async () => {
    const rand = await randid()
    expect(rand).toMatch(/^\d{10,}$/)
    expect(await randid()).not.toBe(rand)
  })

  it('accepts a valid signature, answers with the port and run id, and runs the scenario', async () => {
    const before = await count()
    const rand = await randid()
    const res = await post(signed('myevent', 'value: 2345', rand))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ success: true, port: Number(new URL(url).port), id: expect.any(Number) })
    expect(await count()).toBe(before + 1)
  })

  it('accepts upper-case hex', async () => {
    const rand = await randid()
    const call = signed('myevent', 'x', rand)
    expect((await post({ ...call, sign: call.sign.toUpperCase() })).status).toBe(200)
  })

  it('refuses a replayed rand and runs nothing the second time', async () => {
    const rand = await randid()
    expect((await post(signed('myevent', 'once', rand))).status).toBe(200)
    const before = await count()
    const replay = await post(signed('myevent', 'once', rand))
    expect(replay.status).toBe(403)
    expect(replay.body).toEqual({ success: false, error: expect.stringMatching(/rand is unknown, expired or already used/) })
    expect(await count()).toBe(before)
  })

  it('lets exactly one of two concurrent calls with the same rand win', async () => {
    const rand = await randid()
    const results = await Promise.all([post(signed('myevent', 'race', rand)), post(signed('myevent', 'race', rand))])
    expect(results.map((r) => r.status).sort()).toEqual([200, 403])
  })

  it('refuses a rand past its ttl', async () => {
    const rand = await randid()
    await new Promise((resolve) => setTimeout(resolve, 350))
    expect((await post(signed('myevent', 'late', rand))).status).toBe(403)
  })

  it('refuses a wrong token, and the failed attempt burns the rand', async () => {
    const rand = await randid()
    const wrong = await post(signed('myevent', 'x', rand, 'not-the-token'))
    expect(wrong.status).toBe(403)
    const retry = await post(signed('myevent', 'x', rand))
    expect(retry.status).toBe(403)
    expect(retry.body.error).toMatch(/already used/)
  })

  it('answers 403 for junk signs, never 500', async () => {
    for (const sign of ['', 'abc', 'zz'.repeat(32), `xx${'a'.repeat(62)}`, 'a'.repeat(65)]) {
      const rand = await randid()
      const res = await post({ name: 'myevent', data: 'x', rand, sign })
      expect(res.status, sign).toBe(403)
    }
  })

  it('refuses a call without rand and sign', async () => {
    const res = await post({ name: 'myevent', data: 'x' })
    expect(res.status).toBe(403)
    expect(res.body.error).toMatch(/rand and sign are required/)
  })

  it('answers an unknown event like a bad signature, and burns its rand', async () => {
    const rand = await randid()
    const unknown = await post(signed('ghost', 'x', rand))
    const rand2 = await randid()
    const badSign = await post(signed('myevent', 'x', rand2, 'wrong-token-123'))
    expect(unknown).toEqual(badSign)
    expect(unknown.status).toBe(403)
    expect((await post(signed('ghost', 'x', rand))).body.error).toMatch(/already used/)
  })

  it('refuses remote calls to an event without a token', async () => {
    const rand = await randid()
    const res = await post(signed('localonly', 'x', rand, 'anything-at-all'))
    expect(res.status).toBe(403)
  })

  it('stays remote when a remote caller claims X-Forwarded-For: 127.0.0.1', async () => {
    const res = await post({ name: 'localonly', data: 'x' }, { 'x-forwarded-for': '127.0.0.1' })
    expect(res.status).toBe(403)
  })

  it('signs Cyrillic names, data and tokens as UTF-8', async () => {
    const rand = await randid()
    const res = await post(signed('заказ', 'данные: 42 ₽', rand, 'токен-секрет-1'))
    expect(res.status).toBe(200)
  })

  it('never echoes the token, the expected digest or the sent sign', async () => {
    const rand = await randid()
    const sent = eventSignature('myevent', 'x', rand, 'wrong-token-123')
    const expected = eventSignature('myevent', 'x', rand, TOKEN)
    const res = await post({ name: 'myevent', data: 'x', rand, sign: sent })
    const text = JSON.stringify(res.body)
    expect(text).not.toContain(sent)
    expect(text).not.toContain(expected)
    expect(text).not.toContain(TOKEN)
  })

  it('round-trips through the exported client function', async () => {
    const result = await sendEvent({ url, name: 'myevent', data: 'from the client', token: TOKEN })
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ success: true, id: expect.any(Number) })
    const waited = await sendEvent({ url, name: 'myevent', data: 'wait for it', token: TOKEN, wait: true })
    expect(waited.body).toEqual({ got: 'wait for it', name: 'myevent', type: '$event' })
  })
})

describe('randid limits', () => {
  let hf: TestApp | undefined
  afterEach(async () => { await hf?.close(); hf = undefined })

  it('answers 429 past the per-client rate, in the event shape', async () => {
    hf = await buildTestApp(eventsConfig({ randid: { perClientPerMinute: 3 } }))
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await hf.app.inject({ method: 'GET', url: '/api/randid' })).statusCode)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    const res = await hf.app.inject({ method: 'GET', url: '/api/randid' })
    expect(res.json()).toEqual({ success: false, error: expect.stringMatching(/too many randid requests/) })
  })

  it('answers 429 past maxOutstanding, and issues again once ids are used', async () => {
    hf = await buildTestApp(eventsConfig({ randid: { maxOutstanding: 2, perClientPerMinute: 100 } }))
    const first = (await hf.app.inject({ method: 'GET', url: '/api/randid' })).json().rand
    expect((await hf.app.inject({ method: 'GET', url: '/api/randid' })).statusCode).toBe(200)
    const full = await hf.app.inject({ method: 'GET', url: '/api/randid' })
    expect(full.statusCode).toBe(429)
    expect(full.json().error).toMatch(/too many randids are outstanding/)
    await hf.app.inject({ method: 'POST', url: '/api/event', payload: { name: 'myevent', data: '', rand: first, sign: 'x' } })
    expect((await hf.app.inject({ method: 'GET', url: '/api/randid' })).statusCode).toBe(200)
  })
})
