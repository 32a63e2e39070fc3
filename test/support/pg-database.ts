import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
// Type-only: brings in the ProvidedContext augmentation that types inject('pgUrl').
import type {} from './postgres-global-setup.js'

export interface PgDatabase {
  /** Connection URL of the new, empty database. */
  url: string
  /** Drops it, closing whatever connections are still open to it. */
  drop: () => Promise<void>
}

/**
 * A new empty database on the run's PostgreSQL server (see postgres-global-setup.ts). Test files
 * run in parallel forks, so each gets a database of its own rather than sharing one. Close pools
 * before drop(): it terminates their connections, and an idle pg.Pool emits 'error' for that.
 */
export async function freshPgDatabase (): Promise<PgDatabase> {
  const name = `hf_${randomBytes(8).toString('hex')}`
  // Names are hex we made ourselves, so they are safe to splice into SQL (identifiers cannot be bound).
  await onServer(`CREATE DATABASE ${name}`)
  return {
    url: withDatabase(inject('pgUrl'), name),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
}

/** CREATE/DROP DATABASE run outside any transaction, from the maintenance database. */
async function onServer (sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(inject('pgUrl'), 'postgres') })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

function withDatabase (serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}
