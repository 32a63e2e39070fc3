import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { adminAuth, buildTestApp, tempDir, testConfig, type TestApp } from '../helpers.js'

const config = testConfig({
  scenarios: {
    echo: { steps: [{ name: 'reply', set: { $body: { got: '{% body %}' } } }] },
    accept: { steps: [{ set: { $body: { ok: true } } }] }
  },
  webrequests: [
    { slug: 'echo', scenario: 'echo' },
    { slug: 'intake', scenario: 'accept' }
  ]
})

const rowsOf = (file: string): Array<{ id: number, status: string, is_async: number, input: string, output: string, steps: string }> => {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare('SELECT id, status, is_async, input, output, steps FROM runs ORDER BY id').all() as never
  } finally {
    db.close()
  }
}

// Sync run history on a file database is written by a thread of its own, on its own connection.
describe('sync run history on a file database', () => {
  let hf: TestApp | undefined
  afterEach(async () => { await hf?.close(); hf = undefined })

  it('records every sync run with its input, output and step log', async () => {
    const file = join(tempDir(), 'history.db')
    hf = await buildTestApp(config, { dbPath: file })
    const replies = await Promise.all(Array.from({ length: 300 }, async (_, n) =>
      await hf!.app.inject({ method: 'POST', url: '/api/webrequest/echo', payload: { n } })))
    expect(replies.every((reply) => reply.statusCode === 200)).toBe(true)
    await hf.runs.flush()

    const rows = rowsOf(file)
    expect(rows).toHaveLength(300)
    const byId = new Map(rows.map((row) => [row.id, row]))
    for (const reply of replies) {
      const row = byId.get(Number(reply.headers['x-run-id']))!
      const n = (reply.json() as { got: { n: number } }).got.n
      expect(row.status).toBe('succeeded')
      expect(row.is_async).toBe(0)
      expect(JSON.parse(row.input).body).toEqual({ n })
      expect(JSON.parse(row.output).$body).toEqual({ got: { n } })
      expect(JSON.parse(row.steps)[0]).toMatchObject({ kind: 'set', name: 'reply', status: 'ok' })
    }
    // The admin API reads what the thread wrote.
    const page = await hf.app.inject({ method: 'GET', url: '/api/runs?endpoint=echo&limit=500', headers: adminAuth })
    expect((page.json() as { data: unknown[] }).data).toHaveLength(300)
  })

  it('writes on a connection of its own: history lands while the server\'s connection refuses writes', async () => {
    const file = join(tempDir(), 'history.db')
    hf = await buildTestApp(config, { dbPath: file })
    hf.db.pragma('query_only = ON')
    try {
      await Promise.all(Array.from({ length: 20 }, async () => await hf!.app.inject({ method: 'POST', url: '/api/webrequest/echo', payload: {} })))
      await hf.runs.flush()
      expect(rowsOf(file)).toHaveLength(20)
    } finally {
      hf.db.pragma('query_only = OFF')
    }
  })

  it('commits the history still waiting when the server closes', async () => {
    const file = join(tempDir(), 'history.db')
    hf = await buildTestApp(config, { dbPath: file })
    await Promise.all(Array.from({ length: 40 }, async () => await hf!.app.inject({ method: 'POST', url: '/api/webrequest/echo', payload: {} })))
    await hf.close()
    hf = undefined
    expect(rowsOf(file)).toHaveLength(40)
  })

  it('loses no async run and no sync history while both write at once', async () => {
    const file = join(tempDir(), 'history.db')
    hf = await buildTestApp(config, { dbPath: file })
    const calls = Array.from({ length: 400 }, async (_, n) =>
      await hf!.app.inject({ method: 'POST', url: `/api/webrequest/${n % 2 === 0 ? 'echo' : 'intake?async=true'}`, payload: { n } }))
    const replies = await Promise.all(calls)
    expect(replies.map((reply) => reply.statusCode)).toEqual(replies.map(() => 200))
    await hf.runs.flush()
    const rows = rowsOf(file)
    expect(rows.filter((row) => row.is_async === 0)).toHaveLength(200)
    const acknowledged = replies.filter((_, n) => n % 2 === 1).map((reply) => Number(reply.headers['x-run-id']))
    const asyncIds = new Set(rows.filter((row) => row.is_async === 1).map((row) => row.id))
    expect(acknowledged.every((id) => asyncIds.has(id))).toBe(true)
  })
})
