import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { freshPgDatabase } from './pg-database.js'

// The PostgreSQL tests stand on this harness: if it is broken, this file says so first.

async function withClient<T> (url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await use(client)
  } finally {
    await client.end()
  }
}

const databaseName = (url: string): string => new URL(url).pathname.slice(1)

async function databaseExists (name: string): Promise<boolean> {
  const server = new URL(inject('pgUrl'))
  server.pathname = '/postgres'
  return withClient(server.toString(), async (client) => {
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    return rows.length === 1
  })
}

describe('freshPgDatabase', () => {
  it('gives an empty database that stores and returns rows', async () => {
    const db = await freshPgDatabase()
    try {
      const rows = await withClient(db.url, async (client) => {
        const { rows: tables } = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        expect(tables).toEqual([])
        await client.query('CREATE TABLE things (id integer PRIMARY KEY, name text NOT NULL)')
        await client.query("INSERT INTO things (id, name) VALUES (1, 'orders')")
        return (await client.query('SELECT id, name, current_database() AS db FROM things')).rows
      })
      expect(rows).toEqual([{ id: 1, name: 'orders', db: databaseName(db.url) }])
      expect(databaseName(db.url)).toMatch(/^hf_[0-9a-f]{16}$/)
    } finally {
      await db.drop()
    }
  })

  it('drops the database, even with a connection still open to it', async () => {
    const db = await freshPgDatabase()
    const name = databaseName(db.url)
    expect(await databaseExists(name)).toBe(true)
    const forgotten = new pg.Client({ connectionString: db.url })
    forgotten.on('error', () => {}) // DROP … WITH (FORCE) terminates it
    await forgotten.connect()

    await db.drop()

    expect(await databaseExists(name)).toBe(false)
    await expect(withClient(db.url, async () => {})).rejects.toMatchObject({ code: '3D000' }) // invalid_catalog_name
    await forgotten.end().catch(() => {})
  })

  it('gives each caller a database of its own', async () => {
    const [a, b] = await Promise.all([freshPgDatabase(), freshPgDatabase()])
    try {
      expect(databaseName(a.url)).not.toBe(databaseName(b.url))
    } finally {
      await Promise.all([a.drop(), b.drop()])
    }
  })
})
