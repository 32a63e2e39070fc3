import { describe, expect, it } from 'vitest'
import { presentedRows, presentRun } from '../../src/runs/present.js'
import { writeRunPage } from '../../src/runs/run-page-body.js'
import { RunListQuery, runListBody } from '../../src/runs/run-list-query.js'
import type { RunStore } from '../../src/storage/run-store.js'
import type { RunSummary } from '../../src/runs/types.js'
import type { RunJsonRow } from '../../src/storage/types.js'
import { openDb } from '../../src/storage/db.js'
import { migrate } from '../../src/storage/migrate.js'
import { createRunStore } from '../../src/storage/run-store.js'

const LAST_MS_OF_9999 = 253402300799999
const isoOf = (ms: number): string => new Date(ms).toISOString()

/** Rows with every kind of value a summary column can hold. */
const rows = [
  { kind: 'webrequest', endpoint: 'a', status: 'succeeded', is_async: 0, error: null, parent_run_id: null, replay_of: null, created_at: 1796181619142, started_at: 1796181619142, finished_at: 1796181619190 },
  { kind: 'event', endpoint: null, status: 'queued', is_async: 1, error: null, parent_run_id: 1, replay_of: null, created_at: 0, started_at: null, finished_at: null },
  { kind: 'workflow', endpoint: 'b', status: 'failed', is_async: 1, error: JSON.stringify({ message: 'bad "quote" ü\nline \\ / \u0001', step: 'x', details: { n: 1.5, list: [true, null] } }), parent_run_id: null, replay_of: 1, created_at: 1835395200005, started_at: 1835395200050, finished_at: 1835481599999 },
  { kind: 'webrequest', endpoint: 'c', status: 'running', is_async: 1, error: null, parent_run_id: null, replay_of: null, created_at: 999, started_at: 1000, finished_at: null },
  { kind: 'webrequest', endpoint: 'ü/é', status: 'timed_out', is_async: 0, error: JSON.stringify({ message: 'timed out' }), parent_run_id: 7, replay_of: 3, created_at: LAST_MS_OF_9999 - 1, started_at: LAST_MS_OF_9999 - 1, finished_at: LAST_MS_OF_9999 }
]

function storeWith () {
  const db = openDb(':memory:')
  migrate(db)
  const insert = db.prepare(`INSERT INTO runs (kind, endpoint, scenario, status, is_async, input, error, attempt, timeout_ms, parent_run_id, replay_of, created_at, started_at, finished_at)
    VALUES (@kind, @endpoint, 's', @status, @is_async, '{}', @error, 2, 60000, @parent_run_id, @replay_of, @created_at, @started_at, @finished_at)`)
  for (const row of rows) insert.run(row)
  return createRunStore(db)
}

/** The list page the API shows, built from presentRun's objects: what writeRunPage must write. */
const presentedPage = (runs: RunSummary[], limit: number): string =>
  JSON.stringify({ data: runs.slice(0, limit).map(presentRun), nextCursor: runs.length > limit ? String(runs[limit - 1].id) : null })

describe('list pages written from the JSON SQLite builds', () => {
  it('are presentRun’s JSON, key for key and value for value, for every kind of value', async () => {
    const runs = storeWith()
    const filter = { limit: 10 }
    const page = (await runListBody(runs, RunListQuery.parse({ limit: '10' }))).toString()
    const expected = presentedPage(await runs.list(filter), 10)
    const fromSql = JSON.parse(page).data as Array<Record<string, unknown>>
    const fromJs = JSON.parse(expected).data as Array<Record<string, unknown>>
    expect(fromSql.map((run) => run.id)).toEqual([5, 4, 3, 2, 1])
    expect(fromSql).toEqual(fromJs)
    for (let i = 0; i < fromSql.length; i++) expect(Object.keys(fromSql[i])).toEqual(Object.keys(fromJs[i]))
    expect(fromSql[2]).toMatchObject({ createdAt: '2028-02-29T00:00:00.005Z', startedAt: '2028-02-29T00:00:00.050Z', finishedAt: '2028-02-29T23:59:59.999Z', durationMs: 86399949 })
    expect(fromSql[3]).toMatchObject({ createdAt: '1970-01-01T00:00:00.000Z', startedAt: null, finishedAt: null, durationMs: null, async: true, endpoint: null })
    expect(fromSql[0]).toMatchObject({ finishedAt: '9999-12-31T23:59:59.999Z', endpoint: 'ü/é' })
    // Without control characters in its strings (SQLite escapes those its own way), a page comes out byte for byte.
    const plain = { endpoint: 'c', limit: 5 }
    expect((await runListBody(runs, RunListQuery.parse({ endpoint: 'c', limit: '5' }))).toString()).toBe(presentedPage(await runs.list({ ...plain, limit: 6 }), 5))
  })

  it('carry the cursor of the next page when there is one', async () => {
    const runs = storeWith()
    const page = JSON.parse((await runListBody(runs, RunListQuery.parse({ limit: '2' }))).toString())
    expect(page.data.map((run: { id: number }) => run.id)).toEqual([5, 4])
    expect(page.nextCursor).toBe('4')
    const next = JSON.parse((await runListBody(runs, RunListQuery.parse({ limit: '2', cursor: page.nextCursor }))).toString())
    expect(next.data.map((run: { id: number }) => run.id)).toEqual([3, 2])
    expect(writeRunPage([], null).toString()).toBe('{"data":[],"nextCursor":null}')
  })

  it('fit heads of characters that take three bytes each', () => {
    const endpoint = '€'.repeat(500)
    const rows: RunJsonRow[] = [[2, JSON.stringify({ id: 2, endpoint }), 1, 2, 3], [1, JSON.stringify({ id: 1, endpoint: '😀'.repeat(300) }), 4, null, null]]
    expect(JSON.parse(writeRunPage(rows, null).toString())).toEqual({
      data: [
        { id: 2, endpoint, createdAt: '1970-01-01T00:00:00.001Z', startedAt: '1970-01-01T00:00:00.002Z', finishedAt: '1970-01-01T00:00:00.003Z', durationMs: 1 },
        { id: 1, endpoint: '😀'.repeat(300), createdAt: '1970-01-01T00:00:00.004Z', startedAt: null, finishedAt: null, durationMs: null }
      ],
      nextCursor: null
    })
  })

  it('write every duration as JSON writes it: zero, digits of every length, and a clock that stepped back', () => {
    const durations = [0, 1, 9, 10, 99, 100, 86_399_949, 253_402_300_799_999, -1, -1000, 0.5]
    const rows: RunJsonRow[] = durations.map((duration, i) => [i + 1, `{"id":${i + 1}}`, 5, 1_000_000, 1_000_000 + duration])
    const page = writeRunPage(rows, null).toString()
    expect(page).toBe(JSON.stringify({
      data: durations.map((duration, i) => ({ id: i + 1, createdAt: isoOf(5), startedAt: isoOf(1_000_000), finishedAt: isoOf(1_000_000 + duration), durationMs: duration })),
      nextCursor: null
    }))
  })

  it('are written the same from the rows the PostgreSQL store builds in JavaScript', async () => {
    const runs = storeWith()
    for (const limit of [2, 10]) {
      const filter = { limit: limit + 1 }
      const list = await runs.list(filter)
      const store = { listJson: async () => presentedRows(list) } as unknown as RunStore
      const page = (await runListBody(store, RunListQuery.parse({ limit: String(limit) }))).toString()
      expect(JSON.parse(page)).toEqual(JSON.parse(presentedPage(list, limit)))
      expect(page).toBe(presentedPage(list, limit))
    }
  })

  it('filter and page like the object list', async () => {
    const runs = storeWith()
    for (const filter of [{ limit: 2 }, { status: 'failed' as const, limit: 5 }, { endpoint: 'c', limit: 5 }, { beforeId: 3, limit: 5 }, { from: 1000, to: 1835395200005, limit: 5 }, { parentRunId: 1, limit: 5 }, { replayOf: 1, limit: 5 }]) {
      expect((await runs.listJson(filter)).map(([id]) => id)).toEqual((await runs.list(filter)).map((run) => run.id))
    }
  })
})
