import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createRetention } from '../../src/queue/retention.js'
import { adminAuth, buildTestApp, refuseWrites, sqlValue, tempDir, testConfig, viewerAuth, waitFor, withStorage, type TestApp } from '../helpers.js'

const queue = { concurrency: 4, leaseMs: 2000, pollMs: 50 }

async function runOf (hf: TestApp, id: number) {
  await hf.runs.flush()
  return (await hf.app.inject({ method: 'GET', url: `/api/runs/${id}`, headers: adminAuth })).json()
}

async function finalRun (hf: TestApp, id: number, statuses = ['succeeded', 'failed', 'dead', 'cancelled', 'timed_out']) {
  return await waitFor(async () => {
    const run = await runOf(hf, id)
    return statuses.includes(run.status) ? run : undefined
  }, 10_000)
}

const enqueue = async (hf: TestApp, slug: string, payload: unknown = {}) =>
  Number((await hf.app.inject({ method: 'POST', url: `/api/webrequest/${slug}?async=true`, payload: payload as object })).headers['x-run-id'])

describe('the durable queue', () => {
  let hf: TestApp | undefined
  afterEach(async () => { await hf?.close(); hf = undefined })

  it('retries a failing run with backoff, then marks it dead; exposes run {id, attempt}', async () => {
    hf = await buildTestApp(testConfig({
      queue,
      scenarios: {
        flaky: { steps: [{ if: '{% run.attempt < 3 %}', then: [{ set: { x: '{% $nope() %}' } }] }, { set: { $body: { attempt: '{% run.attempt %}', id: '{% run.id %}' } } }] },
        broken: { steps: [{ set: { x: '{% $nope() %}' } }] },
        refuses: { steps: [{ fail: { message: 'on purpose' } }] }
      },
      webrequests: [
        { slug: 'flaky', scenario: 'flaky', retry: { attempts: 3, backoffMs: 100, maxBackoffMs: 1000 } },
        { slug: 'broken', scenario: 'broken', retry: { attempts: 3, backoffMs: 50 } },
        { slug: 'refuses', scenario: 'refuses', retry: { attempts: 3, backoffMs: 50 } }
      ]
    }))
    const started = Date.now()
    const flakyId = await enqueue(hf, 'flaky')
    const flaky = await finalRun(hf, flakyId)
    expect(flaky).toMatchObject({ status: 'succeeded', attempt: 3, output: { $body: { attempt: 3, id: flakyId } } })
    // Backoff: 100 ms then 200 ms, each at least halved by jitter.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)

    const broken = await finalRun(hf, await enqueue(hf, 'broken'))
    expect(broken).toMatchObject({ status: 'dead', attempt: 3 })
    expect(broken.error.message).toMatch(/set step scenarios\.broken\.steps\[0\] failed/)

    const refused = await finalRun(hf, await enqueue(hf, 'refuses'))
    expect(refused).toMatchObject({ status: 'failed', attempt: 1 })
  })

  it('replays a run from its stored input, linked to it', async () => {
    hf = await buildTestApp(testConfig({ queue, scenarios: { echo: { steps: [{ set: { $body: '{% body %}' } }] } }, webrequests: [{ slug: 'echo', scenario: 'echo' }] }))
    const original = await finalRun(hf, await enqueue(hf, 'echo', { n: 7 }))
    const viewer = await hf.app.inject({ method: 'POST', url: `/api/runs/${original.id}/replay`, headers: viewerAuth })
    expect(viewer.statusCode).toBe(403)
    const res = await hf.app.inject({ method: 'POST', url: `/api/runs/${original.id}/replay`, headers: adminAuth })
    expect(res.statusCode).toBe(202)
    const replay = await finalRun(hf, res.json().runId)
    expect(replay).toMatchObject({ status: 'succeeded', replayOf: original.id, output: { $body: { n: 7 } } })
    expect((await hf.app.inject({ method: 'POST', url: '/api/runs/9999/replay', headers: adminAuth })).statusCode).toBe(404)
  })

  it('cancels a queued run before it starts and a running one while it runs', async () => {
    hf = await buildTestApp(testConfig({
      queue: { ...queue, concurrency: 1 },
      scenarios: { slow: { steps: [{ delay: 3000 }, { set: { $body: 'finished' } }] } },
      webrequests: [{ slug: 'slow', scenario: 'slow' }]
    }))
    const running = await enqueue(hf, 'slow')
    const waiting = await enqueue(hf, 'slow')
    await waitFor(async () => (await runOf(hf!, running)).status === 'running' ? true : undefined)
    const cancelWaiting = await hf.app.inject({ method: 'POST', url: `/api/runs/${waiting}/cancel`, headers: adminAuth })
    expect(cancelWaiting.json()).toEqual({ runId: waiting, status: 'cancelled' })
    const started = Date.now()
    expect((await hf.app.inject({ method: 'POST', url: `/api/runs/${running}/cancel`, headers: adminAuth })).statusCode).toBe(200)
    expect(Date.now() - started).toBeLessThan(1000)
    expect((await runOf(hf, running)).status).toBe('cancelled')
    const never = await runOf(hf, waiting)
    expect(never).toMatchObject({ status: 'cancelled', startedAt: null })
    const again = await hf.app.inject({ method: 'POST', url: `/api/runs/${running}/cancel`, headers: adminAuth })
    expect(again.statusCode).toBe(409)
  })

  it('answers 429 with Retry-After past maxConcurrent for sync calls; async runs wait their turn', async () => {
    hf = await buildTestApp(testConfig({
      queue,
      scenarios: { slow: { steps: [{ delay: 400 }, { set: { $body: 'ok' } }] } },
      webrequests: [{ slug: 'one', scenario: 'slow', maxConcurrent: 1 }]
    }))
    const first = hf.app.inject({ method: 'GET', url: '/api/webrequest/one' })
    await new Promise((resolve) => setTimeout(resolve, 50))
    const second = await hf.app.inject({ method: 'GET', url: '/api/webrequest/one' })
    expect(second.statusCode).toBe(429)
    expect(second.headers['retry-after']).toBe('1')
    expect((await first).statusCode).toBe(200)

    // Enqueued together, so one claim finds all three queued.
    const ids = await Promise.all([enqueue(hf, 'one'), enqueue(hf, 'one'), enqueue(hf, 'one')])
    const runs = []
    for (const id of ids) runs.push(await finalRun(hf, id))
    runs.sort((x, y) => Date.parse(x.startedAt) - Date.parse(y.startedAt))
    // One at a time: each started only after the one before it finished.
    for (let i = 1; i < runs.length; i++) expect(Date.parse(runs[i].startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[i - 1].finishedAt) - 5)
  })

  it('answers 503 with Retry-After when the queue is full', async () => {
    hf = await buildTestApp(testConfig({
      queue: { ...queue, concurrency: 1, maxDepth: 2 },
      scenarios: { slow: { steps: [{ delay: 2000 }] } },
      webrequests: [{ slug: 'slow', scenario: 'slow' }]
    }))
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await hf.app.inject({ method: 'POST', url: '/api/webrequest/slow?async=true' })).statusCode)
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0)
    const full = await hf.app.inject({ method: 'POST', url: '/api/webrequest/slow?async=true' })
    expect(full.statusCode).toBe(503)
    expect(full.headers['retry-after']).toBe('5')
    expect(full.json().error).toMatch(/run queue is full/)
  })

  it('answers 503 and never a 2xx when the database refuses writes', async () => {
    hf = await buildTestApp(testConfig({
      queue,
      scenarios: { echo: { steps: [{ set: { $body: 'ok' } }] } },
      webrequests: [{ slug: 'echo', scenario: 'echo' }],
      events: [{ name: 'ping', scenario: 'echo' }]
    }))
    await hf.runs.flush()
    const before = await sqlValue(hf, 'SELECT count(*) FROM runs')
    const allowWrites = await refuseWrites(hf)
    try {
      // PostgreSQL: the first call may meet its connection being ended (57P01), the next a read-only one.
      for (let i = 0; i < 2; i++) {
        const asyncCall = await hf.app.inject({ method: 'POST', url: '/api/webrequest/echo?async=true' })
        expect(asyncCall.statusCode).toBe(503)
        expect(asyncCall.json().error).toMatch(/storage unavailable \((SQLITE_READONLY|57P01|25006)/)
        expect(asyncCall.headers['retry-after']).toBe('5')
      }
      const event = await hf.app.inject({ method: 'POST', url: '/api/event', payload: { name: 'ping' } })
      expect(event.statusCode).toBe(503)
      expect(event.json().success).toBe(false)
    } finally {
      await allowWrites()
    }
    expect(await sqlValue(hf, 'SELECT count(*) FROM runs')).toBe(before)
    expect((await hf.app.inject({ method: 'POST', url: '/api/webrequest/echo?async=true' })).statusCode).toBe(200)
  })

  it('hands unfinished async runs back to the queue on shutdown', async () => {
    const dbPath = join(tempDir(), 'hookflow.db')
    hf = await buildTestApp(testConfig({
      queue,
      server: { shutdownGraceMs: 200 },
      scenarios: { slow: { steps: [{ delay: 5000 }] } },
      webrequests: [{ slug: 'slow', scenario: 'slow' }]
    }), { dbPath })
    const id = await enqueue(hf, 'slow')
    await waitFor(async () => (await runOf(hf!, id)).status === 'running' ? true : undefined)
    const started = Date.now()
    await hf.close()
    hf = undefined
    expect(Date.now() - started).toBeLessThan(2000)
    await withStorage(dbPath, async ({ queue }) => { expect(await queue.status(id)).toBe('queued') })
  })

  it('prunes old finished runs in batches while intake goes on', async () => {
    const config = testConfig({
      queue,
      runs: { retainDays: 1 },
      scenarios: { echo: { steps: [{ set: { $body: 'ok' } }] } },
      webrequests: [{ slug: 'echo', scenario: 'echo' }]
    })
    // 20 000 runs from three days ago, written before this process starts (as a previous one would have).
    const dbPath = join(tempDir(), 'hookflow.db')
    const old = Date.now() - 3 * 86_400_000
    await withStorage(dbPath, async ({ runs }) => {
      const run = { kind: 'webrequest', endpoint: 'echo', scenario: 'echo', status: 'succeeded', async: false, input: {}, timeoutMs: 1000, createdAt: old } as const
      await Promise.all(Array.from({ length: 20_000 }, async () => await runs.enqueue({ ...run, id: await runs.allocateId() })))
    })
    hf = await buildTestApp(config, { dbPath })
    const retention = createRetention({ runs: hf.runs, config: { retainDays: 1, maxRows: 0 }, log: hf.log })
    const pruning = retention.prune()
    const latencies = await Promise.all(Array.from({ length: 30 }, async () => {
      const t = Date.now()
      const res = await hf!.app.inject({ method: 'POST', url: '/api/webrequest/echo?async=true' })
      expect(res.statusCode).toBe(200)
      return Date.now() - t
    }))
    expect(await pruning).toBe(20_000)
    expect(Math.max(...latencies)).toBeLessThan(1000)
    expect(await sqlValue(hf, 'SELECT count(*) FROM runs WHERE created_at = ?', old)).toBe(0)
  })
})
