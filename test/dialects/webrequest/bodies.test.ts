import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, testConfig, type TestApp } from '../../helpers.js'

const config = testConfig({
  server: { bodyLimit: 4096, multipart: { maxFileBytes: 64, maxFiles: 2, maxFields: 10 } },
  scenarios: {
    echo: { steps: [{ set: { $body: { body: '{% body %}', rawBody: '{% rawBody %}', files: '{% files %}' } } }] }
  },
  webrequests: [{ slug: 'echo', scenario: 'echo' }]
})

function multipart (parts: Array<{ name: string, value: string, filename?: string, type?: string }>, boundary = 'XyZ123') {
  const lines: string[] = []
  for (const part of parts) {
    lines.push(`--${boundary}`)
    lines.push(`Content-Disposition: form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`)
    if (part.type !== undefined) lines.push(`Content-Type: ${part.type}`)
    lines.push('', part.value)
  }
  lines.push(`--${boundary}--`, '')
  return { payload: lines.join('\r\n'), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

describe('web request bodies', () => {
  let hf: TestApp
  beforeAll(async () => { hf = await buildTestApp(config) })
  afterAll(async () => { await hf.close() })

  const post = async (payload: string | Buffer, contentType?: string) =>
    await hf.app.inject({ method: 'POST', url: '/api/webrequest/echo', payload, headers: contentType === undefined ? {} : { 'content-type': contentType } })

  it('parses JSON, including +json types', async () => {
    const res = await post('{"a":[1,2]}', 'application/vnd.api+json')
    expect(res.json()).toMatchObject({ body: { a: [1, 2] }, rawBody: '{"a":[1,2]}' })
  })

  it('answers 400 with a message for malformed JSON', async () => {
    const res = await post('{"a":', 'application/json')
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatch(/^malformed JSON body/)
  })

  it('refuses a JSON body carrying __proto__', async () => {
    const res = await post('{"__proto__":{"polluted":true}}', 'application/json')
    expect(res.statusCode).toBe(400)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('parses urlencoded forms, repeated fields as lists', async () => {
    const res = await post('a=1&b=two%20words&a=3', 'application/x-www-form-urlencoded')
    expect(res.json()).toMatchObject({ body: { a: ['1', '3'], b: 'two words' }, rawBody: 'a=1&b=two%20words&a=3' })
  })

  it('keeps text and XML as strings', async () => {
    expect((await post('hello', 'text/plain')).json().body).toBe('hello')
    expect((await post('<a>1</a>', 'application/xml; charset=utf-8')).json().body).toBe('<a>1</a>')
  })

  it('keeps any other type as raw bytes, base64-encoded', async () => {
    const bytes = Buffer.from([0, 1, 2, 255])
    const res = await post(bytes, 'application/octet-stream')
    expect(res.json()).toMatchObject({ body: bytes.toString('base64'), rawBody: bytes.toString('base64') })
  })

  it('takes multipart fields into body and files into files, apart', async () => {
    const { payload, headers } = multipart([
      { name: 'title', value: 'report' },
      { name: 'files', value: 'a field named like the file list' },
      { name: 'doc', value: 'file content', filename: 'a.txt', type: 'text/plain' }
    ])
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/echo', payload, headers })
    expect(res.statusCode).toBe(200)
    const out = res.json()
    expect(out.body).toEqual({ title: 'report', files: 'a field named like the file list' })
    expect(out.files).toEqual([{ name: 'doc', filename: 'a.txt', mimetype: 'text/plain', size: 12, content: Buffer.from('file content').toString('base64') }])
  })

  it('answers 413 when a file is over the limit, and when there are too many files', async () => {
    const big = multipart([{ name: 'doc', value: 'x'.repeat(65), filename: 'big.bin', type: 'application/octet-stream' }])
    const tooBig = await hf.app.inject({ method: 'POST', url: '/api/webrequest/echo', ...big })
    expect(tooBig.statusCode).toBe(413)
    const many = multipart([1, 2, 3].map((i) => ({ name: `f${i}`, value: 'x', filename: `${i}.txt`, type: 'text/plain' })))
    expect((await hf.app.inject({ method: 'POST', url: '/api/webrequest/echo', ...many })).statusCode).toBe(413)
  })

  it('answers 400 for a broken multipart body', async () => {
    const res = await post('this is not multipart at all', 'multipart/form-data')
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatch(/^malformed multipart body/)
  })

  it('answers 413 for a body over bodyLimit', async () => {
    const res = await post(JSON.stringify({ big: 'x'.repeat(5000) }), 'application/json')
    expect(res.statusCode).toBe(413)
    expect(res.json()).toEqual({ error: expect.any(String) })
  })

  it('treats an empty body as null', async () => {
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/echo', headers: { 'content-type': 'application/json' } })
    expect(res.json()).toMatchObject({ body: null, rawBody: '' })
  })

  it('treats a body without a content type as bytes', async () => {
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/echo', payload: 'abc' })
    expect(res.statusCode).toBe(200)
  })
})
