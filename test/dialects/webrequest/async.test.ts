import { afterEach, describe, expect, it } from 'vitest'
import { adminAuth, buildTestApp, sql, tempDir, testConfig, waitFor, withStorage, type TestApp } from '../../helpers.js'
import { join } from 'node:path'

const config = testConfig({
  scenarios: {
    ingest: { steps: [{ delay: 100 }, { set: { $status: 201, $headers: { 'X-Done': 'yes' }, $body: { got: '{% body %}', async: '{% event.async %}' } } }] },
    failing: { steps: [{ set: { x: '{% $nope() %}' } }] }
  },
  webrequests: [{ slug: 'ingest', scenario: 'ingest' }, { slug: 'failing', scenario: 'failing' }]
})

describe('async web requests', () => {
  let hf: TestApp | undefined
  afterEach(async () => { await hf?.close(); hf = undefined })

  it('acknowledges at once with an empty 200, the run id and a status URL, after committing the run', async () => {
    hf = await buildTestApp(config)
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/ingest?async=true', payload: { n: 1 } })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('')
    const runId = Number(res.headers['x-run-id'])
    expect(runId).toBeGreaterThan(0)
    expect(res.headers['x-run-status']).toMatch(new RegExp(`^/api/runs/${runId}/status\\?key=[A-Za-z0-9_-]{32}$`))
    // On disk before the scenario has even finished its first step.
    const [row] = await sql<{ status: string, is_async: number }>(hf, 'SELECT status, is_async FROM runs WHERE id = ?', runId)
    expect(row.is_async).toBe(1)
    expect(['queued', 'running']).toContain(row.status)
  })

  it('redacts the credentials of a finished async run, and keeps an input without any as it came', async () => {
    hf = await buildTestApp(config)
    const app = hf.app
    const post = async (url: string, headers: Record<string, string>) =>
      Number((await app.inject({ method: 'POST', url, headers, payload: { n: 1 } })).headers['x-run-id'])
    const secretId = await post('/api/webrequest/ingest?async=true&token=s3cret', { authorization: 'Bearer caller-secret', cookie: 'sid=xyz' })
    const plainId = await post('/api/webrequest/ingest?async=true&page=2', { 'x-trace': 'plain-value' })
    const finished = async (id: number) => await waitFor(async () => {
      await hf!.runs.flush()
      const run = (await app.inject({ method: 'GET', url: `/api/runs/${id}`, headers: adminAuth })).json()
      return run.status === 'succeeded' ? run : undefined
    })
    const secret = await finished(secretId)
    expect(secret.input.headers.authorization).toBe('[redacted]')
    expect(secret.input.cookies).toEqual({ sid: '[redacted]' })
    expect(secret.input.query).toEqual({ async: 'true', token: '[redacted]' })
    expect(JSON.stringify(secret)).not.toMatch(/caller-secret|s3cret|xyz/)
    const plain = await finished(plainId)
    expect(plain.input.headers['x-trace']).toBe('plain-value')
    expect(plain.input.query).toEqual({ async: 'true', page: '2' })
    expect(plain.input.body).toEqual({ n: 1 })
  })

  it('shows the result through the status URL and in /api/runs with its output', async () => {
    hf = await buildTestApp(config)
    const app = hf.app
    const res = await app.inject({ method: 'POST', url: '/api/webrequest/ingest?async=true', payload: { n: 1 } })
    const statusUrl = res.headers['x-run-status'] as string
    const runId = Number(res.headers['x-run-id'])

    const early = (await app.inject({ method: 'GET', url: statusUrl })).json()
    expect(early).toMatchObject({ runId, reply: null })
    expect(['queued', 'running']).toContain(early.status)

    const done = await waitFor(async () => {
      const view = (await app.inject({ method: 'GET', url: statusUrl })).json()
      return view.status === 'succeeded' ? view : undefined
    })
    expect(done).toEqual({ runId, status: 'succeeded', reply: { status: 201, headers: { 'x-done': 'yes' }, body: { got: { n: 1 }, async: true } } })

    const list = (await app.inject({ method: 'GET', url: '/api/runs?endpoint=ingest', headers: adminAuth })).json()
    expect(list.data[0]).toMatchObject({ id: runId, status: 'succeeded', async: true, endpoint: 'ingest' })
    const run = (await app.inject({ method: 'GET', url: `/api/runs/${runId}`, headers: adminAuth })).json()
    expect(run.output).toEqual({ $status: 201, $headers: { 'X-Done': 'yes' }, $body: { got: { n: 1 }, async: true } })
    expect(run.steps.map((step: { kind: string }) => step.kind)).toEqual(['delay', 'set'])
    expect(run.startedAt).not.toBeNull()
    expect(run.finishedAt).not.toBeNull()
  })

  it('reveals nothing without the right key', async () => {
    hf = await buildTestApp(config)
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/ingest?async=true', payload: {} })
    const runId = res.headers['x-run-id']
    expect((await hf.app.inject({ method: 'GET', url: `/api/runs/${runId}/status` })).statusCode).toBe(401)
    const wrong = await hf.app.inject({ method: 'GET', url: `/api/runs/${runId}/status?key=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` })
    expect(wrong.statusCode).toBe(403)
    expect(wrong.json()).toEqual({ error: 'invalid status key for this run' })
    expect((await hf.app.inject({ method: 'GET', url: '/api/runs/999/status?key=x' })).statusCode).toBe(403)
  })

  it('reports a failed async run through the status URL', async () => {
    hf = await buildTestApp(config)
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/failing?async=true' })
    const view = await waitFor(async () => {
      const v = (await hf!.app.inject({ method: 'GET', url: res.headers['x-run-status'] as string })).json()
      return v.status === 'failed' ? v : undefined
    })
    expect(view.reply.status).toBe(500)
    expect(view.reply.body).toMatchObject({ runId: Number(res.headers['x-run-id']) })
  })

  it('runs, at the next start, the async runs a stopped process acknowledged but never finished', async () => {
    const dbPath = join(tempDir(), 'hookflow.db')
    // A run committed as queued, and one left running by a process that died.
    const base = { kind: 'webrequest', endpoint: 'ingest', scenario: 'ingest', async: true, timeoutMs: 10_000, input: { body: { n: 7 } }, createdAt: Date.now() }
    await withStorage(dbPath, async ({ runs }) => {
      await runs.enqueue({ ...base, id: 1, status: 'queued' })
      await runs.enqueue({ ...base, id: 2, status: 'running' })
    })

    hf = await buildTestApp(config, { dbPath })
    const finished = await waitFor(async () => {
      const rows = await sql<{ id: number, attempt: number, output: string }>(hf!, "SELECT id, status, attempt, output FROM runs WHERE status = 'succeeded' ORDER BY id")
      return rows.length === 2 ? rows : undefined
    })
    expect(finished.map((row) => [row.id, row.attempt])).toEqual([[1, 1], [2, 2]])
    expect(JSON.parse(finished[0].output).$body.got).toEqual({ n: 7 })
  })
})
