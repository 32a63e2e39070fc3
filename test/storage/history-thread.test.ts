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

  // JSONata marks the arrays it builds as sequences with an own `push` function, which structured
  // clone refuses: the server once died on its first such run (DataCloneError thrown in a timer).
  it('records runs whose variables JSONata built as sequences, and stays up', async () => {
    const file = join(tempDir(), 'history.db')
    hf = await buildTestApp(testConfig({
      scenarios: { pluck: { steps: [{ set: { xs: '{% body.items.x %}', $body: { xs: '{% body.items.x %}' } } }] } },
      webrequests: [{ slug: 'pluck', scenario: 'pluck' }]
    }), { dbPath: file })
    const replies = await Promise.all(Array.from({ length: 5 }, async () =>
      await hf!.app.inject({ method: 'POST', url: '/api/webrequest/pluck', payload: { items: [{ x: 1 }, { x: 2 }] } })))
    expect(replies.map((reply) => reply.json())).toEqual(replies.map(() => ({ xs: [1, 2] })))
    await hf.runs.flush()
    const rows = rowsOf(file)
    expect(rows).toHaveLength(5)
    expect(JSON.parse(rows[0].output)).toEqual({ $body: { xs: [1, 2] } })
    expect((await hf.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
  })

  it('records a run whose variables hold a function (main-thread evaluation) as the JSON it is stored as', async () => {
    const file = join(tempDir(), 'history.db')
    hf = await buildTestApp(testConfig({
      runner: { evaluateOn: 'main-thread' },
      scenarios: { fn: { steps: [{ set: { $body: { ok: true, upper: '{% $uppercase %}' } } }] } },
      webrequests: [{ slug: 'fn', scenario: 'fn' }]
    }), { dbPath: file })
    const reply = await hf.app.inject({ method: 'POST', url: '/api/webrequest/fn', payload: {} })
    expect(reply.json()).toMatchObject({ ok: true })
    await hf.runs.flush()
    const rows = rowsOf(file)
    expect(rows).toHaveLength(1)
    expect(JSON.parse(rows[0].output)).toEqual({ $body: reply.json() })
  })

  // `$` is the variables themselves: assigned as it came, they would hold themselves.
  it('replies and records a run that keeps `$` as a snapshot, inline or through JSONata', async () => {
    const file = join(tempDir(), 'history.db')
    hf = await buildTestApp(testConfig({
      scenarios: {
        quick: { steps: [{ set: { snap: '{% $ %}', $body: '{% $ %}' } }] },
        jsonata: { steps: [{ set: { snap: '{% $merge([$, {}]) %}', $body: { all: '{% $$ %}', parent: '{% body.% %}' } } }] }
      },
      webrequests: [{ slug: 'quick', scenario: 'quick' }, { slug: 'jsonata', scenario: 'jsonata', history: 'all' }]
    }), { dbPath: file })
    const quick = await hf.app.inject({ method: 'POST', url: '/api/webrequest/quick', payload: { a: 1 } })
    expect(quick.statusCode).toBe(200)
    expect(quick.json()).toMatchObject({ body: { a: 1 } })
    const viaJsonata = await hf.app.inject({ method: 'POST', url: '/api/webrequest/jsonata', payload: { a: 2 } })
    expect(viaJsonata.statusCode).toBe(200)
    expect(viaJsonata.json()).toMatchObject({ all: { body: { a: 2 } } })
    await hf.runs.flush()
    const rows = rowsOf(file)
    expect(rows.map((row) => row.status)).toEqual(['succeeded', 'succeeded'])
    expect(JSON.parse(rows[0].output).$body).toMatchObject({ body: { a: 1 } })
  })
})
