import { describe, expect, it } from 'vitest'
import { presentedJson } from '../../src/runs/present.js'
import { openDb } from '../../src/storage/db.js'
import { migrate } from '../../src/storage/migrate.js'
import { createRunStore } from '../../src/storage/run-store.js'

const LAST_MS_OF_9999 = 253402300799999

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

describe('run summaries built as JSON by SQLite', () => {
  it('are presentRun’s JSON, key for key and value for value, for every kind of value', async () => {
    const runs = storeWith()
    const filter = { limit: 10 }
    const fromSql = await runs.listJson(filter)
    const fromJs = presentedJson(await runs.list(filter))
    expect(fromSql.map((run) => run.id)).toEqual([5, 4, 3, 2, 1])
    expect(fromSql.map((run) => run.id)).toEqual(fromJs.map((run) => run.id))
    for (let i = 0; i < fromSql.length; i++) {
      const sql = JSON.parse(fromSql[i].json)
      const js = JSON.parse(fromJs[i].json)
      expect(sql).toEqual(js)
      expect(Object.keys(sql)).toEqual(Object.keys(js))
    }
    // Rows without control characters in their strings come out byte for byte.
    expect(fromSql[0].json).toBe(fromJs[0].json)
    expect(fromSql[4].json).toBe(fromJs[4].json)
    expect(JSON.parse(fromSql[2].json)).toMatchObject({ createdAt: '2028-02-29T00:00:00.005Z', startedAt: '2028-02-29T00:00:00.050Z', finishedAt: '2028-02-29T23:59:59.999Z', durationMs: 86399949 })
    expect(JSON.parse(fromSql[3].json)).toMatchObject({ createdAt: '1970-01-01T00:00:00.000Z', startedAt: null, finishedAt: null, durationMs: null, async: true, endpoint: null })
    expect(JSON.parse(fromSql[0].json)).toMatchObject({ finishedAt: '9999-12-31T23:59:59.999Z' })
  })

  it('filter and page like the object list', async () => {
    const runs = storeWith()
    for (const filter of [{ limit: 2 }, { status: 'failed' as const, limit: 5 }, { endpoint: 'c', limit: 5 }, { beforeId: 3, limit: 5 }, { from: 1000, to: 1835395200005, limit: 5 }, { parentRunId: 1, limit: 5 }, { replayOf: 1, limit: 5 }]) {
      expect((await runs.listJson(filter)).map((run) => run.id)).toEqual((await runs.list(filter)).map((run) => run.id))
    }
  })
})
