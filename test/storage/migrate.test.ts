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
