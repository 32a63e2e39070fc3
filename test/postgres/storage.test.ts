import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../src/config/load-config.js'
import { migratePostgres, postgresMigrations } from '../../src/storage/postgres/migrate.js'
import { createPgPool, type PgPool } from '../../src/storage/postgres/pool.js'
import { createPgIdempotencyStore } from '../../src/storage/postgres/idempotency-store.js'
import { createPgQueueStore } from '../../src/storage/postgres/queue-store.js'
import { createPgRandStore } from '../../src/storage/postgres/rand-store.js'
import { createPgRunStore } from '../../src/storage/postgres/run-store.js'
import type { NewRun } from '../../src/runs/types.js'
import { startServer } from '../server-process.js'
import { freshPgDatabase, type PgDatabase } from '../support/pg-database.js'

/**
 * What several instances sharing one PostgreSQL database rely on, each instance played by its own
 * connection pool: the claims, nonces, keys and migrations must hold across pools.
 */
describe('PostgreSQL storage shared by several instances', () => {
  let database: PgDatabase
  let pools: PgPool[]
  beforeEach(async () => {
    database = await freshPgDatabase()
    pools = [createPgPool(database.url, 4), createPgPool(database.url, 4), createPgPool(database.url, 4)]
  })
  afterEach(async () => {
    await Promise.all(pools.map(async (pool) => await pool.end()))
    await database.drop()
  })

  const queuedRun = (id: number): NewRun => ({
    id, kind: 'webrequest', endpoint: 'work', scenario: 'work', status: 'queued', async: true, timeoutMs: 1000, input: { n: id }, createdAt: Date.now()
  })

  it('applies the migrations once when instances start together', async () => {
    const applied = await Promise.all(pools.map(async (pool) => await migratePostgres(pool)))
    expect(applied.map((list) => list.length).sort()).toEqual([0, 0, postgresMigrations().length])
    const { rows } = await pools[0].query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    expect(rows.map((row) => row.version)).toEqual(postgresMigrations().map((migration) => migration.version))
  })

  it('hands each queued run to exactly one of several instances claiming at once', async () => {
    await migratePostgres(pools[0])
    const runs = createPgRunStore(pools[0])
    const ids = await Promise.all(Array.from({ length: 300 }, async () => await runs.allocateId()))
    await Promise.all(ids.map(async (id) => await runs.enqueue(queuedRun(id))))
    const queues = pools.map((pool) => createPgQueueStore(pool))
    // Every pool connected before the race: pools[0] already is, and on a busy machine it drained
    // the queue while the other two were still opening their first connection.
    await Promise.all(pools.map(async (pool) => await pool.query('SELECT 1')))
    const now = Date.now()
    const claimed: number[][] = [[], [], []]
    // Each instance claims in batches of 7 until the queue is empty.
    await Promise.all(queues.map(async (queue, i) => {
      for (;;) {
        const batch = await queue.claim(now, now + 60_000, 7)
        if (batch.length === 0) return
        claimed[i].push(...batch.map((run) => run.id))
      }
    }))
    const all = claimed.flat()
    expect(all.length).toBe(300)
    expect(new Set(all)).toEqual(new Set(ids))
    // All three took part: SKIP LOCKED lets them claim side by side instead of in turn.
    expect(claimed.every((mine) => mine.length > 0)).toBe(true)
  })

  it('claims a run again, as its next attempt, once its lease ran out', async () => {
    await migratePostgres(pools[0])
    const runs = createPgRunStore(pools[0])
    await runs.enqueue(queuedRun(await runs.allocateId()))
    const [first, second] = [createPgQueueStore(pools[0]), createPgQueueStore(pools[1])]
    const now = Date.now()
    const [taken] = await first.claim(now, now + 1000, 10)
    expect(taken.attempt).toBe(1)
    expect(await second.claim(now + 500, now + 1500, 10)).toEqual([])
    const [again] = await second.claim(now + 1001, now + 2001, 10)
    expect(again.id).toBe(taken.id)
    expect(again.attempt).toBe(2)
  })

  it('lets one instance issue a rand that any instance uses up exactly once', async () => {
    await migratePostgres(pools[0])
    const rands = pools.map((pool) => createPgRandStore(pool, { ttlMs: 3000, maxOutstanding: 100 }))
    const rand = await rands[0].issue()
    expect(rand).toMatch(/^\d{20}$/)
    const results = await Promise.all([rands[1].consume(rand!), rands[2].consume(rand!), rands[1].consume(rand!)])
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await rands[0].consume(rand!)).toBe(false)
    expect(await rands[0].consume('12345678901234567890')).toBe(false)
  })

  it('refuses an expired rand and stops issuing past maxOutstanding', async () => {
    await migratePostgres(pools[0])
    const short = createPgRandStore(pools[0], { ttlMs: 50, maxOutstanding: 2 })
    const expired = await short.issue()
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(await short.consume(expired!)).toBe(false)
    expect(await short.issue()).toBeDefined()
    expect(await short.issue()).toBeDefined()
    expect(await short.issue()).toBeUndefined()
  })

  it('gives a delivery key to one instance: the others get its run id', async () => {
    await migratePostgres(pools[0])
    const runs = createPgRunStore(pools[0])
    const stores = pools.map(createPgIdempotencyStore)
    const key = { kind: 'webrequest', endpoint: 'work', key: 'delivery-1' }
    const ids = await Promise.all(stores.map(async () => await runs.allocateId()))
    const answers = await Promise.all(stores.map(async (store, i) => await store.claim(key, ids[i], 60_000, queuedRun(ids[i]))))
    const winners = answers.filter((answer) => answer === undefined)
    expect(winners).toHaveLength(1)
    const winner = ids[answers.indexOf(undefined)]
    expect(answers.filter((answer) => answer !== undefined)).toEqual([winner, winner])
    const { rows } = await pools[0].query<{ id: number }>('SELECT id FROM runs')
    expect(rows).toEqual([{ id: winner }])
  })
})

describe('database.url', () => {
  it('must be a postgres URL, and may come from the environment', () => {
    expect(() => parseConfig({ database: { url: 'mysql://x' } }, { env: {} })).toThrow(ConfigError)
    expect(() => parseConfig({ database: { url: 'mysql://x' } }, { env: {} })).toThrow(/database\.url: must be a postgres:\/\/ or postgresql:\/\/ URL/)
    expect(parseConfig({ database: { url: { env: 'PG' } } }, { env: { PG: 'postgres://u:p@h/db' } }).config.database.url).toBe('postgres://u:p@h/db')
    expect(parseConfig({}, { env: { HOOKFLOW_DATABASE_URL: 'postgresql://h/db' } }).config.database.url).toBe('postgresql://h/db')
  })

  it('that cannot be reached stops the server at start, naming it without its password or a stack trace', async () => {
    const server = startServer([], { HOOKFLOW_PORT: '0', HOOKFLOW_DATABASE_URL: 'postgres://hookflow:sekret-pw@127.0.0.1:1/none' })
    expect(await server.exit).toBe(1)
    expect(server.output()).toMatch(/refusing to start, database\.url: cannot use postgres:\/\/hookflow:\*\*\*@127\.0\.0\.1:1\/none: .*ECONNREFUSED/)
    expect(server.output()).not.toContain('sekret-pw')
    expect(server.output()).not.toMatch(/\n\s+at /)
  })
})
