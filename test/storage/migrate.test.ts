import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDb } from '../../src/storage/db.js'
import { migrate, readMigrations } from '../../src/storage/migrate.js'
import { tempDir } from '../helpers.js'

describe('migrations', () => {
  it('applies the shipped migrations once and records them', () => {
    const db = openDb(':memory:')
    const first = migrate(db)
    expect(first.map((m) => m.version)).toEqual(readMigrations().map((m) => m.version))
    expect(migrate(db)).toEqual([])
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toContainEqual({ version: 1, name: 'init' })
    expect(db.pragma('journal_mode', { simple: true })).toBe('memory')
  })

  it('leaves runs with only the indexes a query reads: each one is a write per enqueue, claim and end', () => {
    const db = openDb(':memory:')
    migrate(db)
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' AND sql IS NOT NULL ORDER BY name").pluck().all()
    expect(indexes).toEqual(['runs_endpoint_id', 'runs_parent', 'runs_replay_of', 'runs_status_id'])
  })

  it('keeps every run and column when 011 rebuilds runs with their summary JSON, and keeps it current', () => {
    const db = openDb(':memory:')
    const shipped = readMigrations()
    migrate(db, shipped.filter((m) => m.version < 11))
    db.prepare(`INSERT INTO runs (id, kind, endpoint, scenario, status, is_async, input, output, error, steps, attempt, timeout_ms,
      status_key_hash, parent_run_id, depth, created_at, started_at, finished_at, available_at, lease_until, max_attempts, backoff_ms, max_backoff_ms, replay_of)
      VALUES (7, 'webrequest', 'orders', 'echo', 'failed', 1, '{"a":1}', '{"b":2}', '{"message":"no"}', '[]', 2, 500, 'hash', 3, 1, 10, 11, 12, 13, 14, 5, 1000, 60000, 2),
             (8, 'event', NULL, 'echo', 'queued', 0, '{}', NULL, 'not json', NULL, 1, 60000, NULL, NULL, 0, 20, NULL, NULL, 0, NULL, 1, 1000, 60000, NULL)`).run()
    const before = db.prepare('SELECT * FROM runs ORDER BY id').all()
    migrate(db, shipped.filter((m) => m.version <= 11))
    const after = db.prepare('SELECT * FROM runs ORDER BY id').all() as Array<Record<string, unknown>>
    expect(after.map(({ summary_json: _summary, ...row }) => row)).toEqual(before)
    expect(JSON.parse(after[0].summary_json as string)).toEqual({
      id: 7, kind: 'webrequest', endpoint: 'orders', scenario: 'echo', status: 'failed', async: true, attempt: 2, timeoutMs: 500,
      parentRunId: 3, depth: 1, replayOf: 2, error: { message: 'no' }
    })
    // An error that is not JSON is shown as a string instead of failing the write.
    expect(JSON.parse(after[1].summary_json as string)).toMatchObject({ id: 8, endpoint: null, async: false, error: 'not json' })
    db.prepare("UPDATE runs SET status = 'running', attempt = 2 WHERE id = 8").run()
    expect(JSON.parse(db.prepare('SELECT summary_json FROM runs WHERE id = 8').pluck().get() as string)).toMatchObject({ status: 'running', attempt: 2 })
  })

  it('stores a run’s summary once it has ended (012) and builds it on reading while the run is under way', () => {
    const db = openDb(':memory:')
    const shipped = readMigrations()
    migrate(db, shipped.filter((m) => m.version < 12))
    db.prepare(`INSERT INTO runs (id, kind, endpoint, scenario, status, is_async, input, error, attempt, timeout_ms, created_at)
      VALUES (1, 'webrequest', 'orders', 'echo', 'succeeded', 0, '{}', NULL, 1, 500, 10), (2, 'event', NULL, 'echo', 'queued', 1, '{}', 'not json', 1, 500, 20)`).run()
    const before = db.prepare('SELECT * FROM runs ORDER BY id').all()
    migrate(db, shipped)
    const after = db.prepare('SELECT * FROM runs ORDER BY id').all() as Array<Record<string, unknown>>
    expect(after.map(({ summary_final: _final, ...row }) => row)).toEqual(before)
    const stored = db.prepare('SELECT summary_final FROM runs WHERE id = ?').pluck()
    const shown = (id: number) => JSON.parse(db.prepare('SELECT summary_json FROM runs WHERE id = ?').pluck().get(id) as string)
    expect(stored.get(1)).toBe(after[0].summary_json)
    expect(stored.get(2)).toBeNull()
    expect(shown(2)).toEqual({ id: 2, kind: 'event', endpoint: null, scenario: 'echo', status: 'queued', async: true, attempt: 1, timeoutMs: 500, parentRunId: null, depth: 0, replayOf: null, error: 'not json' })
    db.prepare("UPDATE runs SET status = 'running' WHERE id = 2").run()
    expect(stored.get(2)).toBeNull()
    expect(shown(2)).toMatchObject({ status: 'running' })
    db.prepare("UPDATE runs SET status = 'failed', error = '{\"message\":\"no\"}' WHERE id = 2").run()
    expect(JSON.parse(stored.get(2) as string)).toMatchObject({ status: 'failed', error: { message: 'no' } })
    expect(shown(2)).toMatchObject({ status: 'failed', error: { message: 'no' } })
  })

  it('uses WAL on a file database', () => {
    const db = openDb(join(tempDir(), 'x.db'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
  })

  it('rolls back a migration that fails, leaving earlier ones applied', () => {
    const dir = tempDir()
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, '001_ok.sql'), 'CREATE TABLE a (x INTEGER);')
    writeFileSync(join(dir, '002_bad.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);')
    const db = openDb(':memory:')
    expect(() => migrate(db, readMigrations(dir))).toThrow(/no such table: nowhere/)
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1])
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined()
  })
})
