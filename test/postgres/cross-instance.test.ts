import pino from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load-config.js'
import { createHookflow, type Hookflow } from '../../src/hookflow.js'
import { adminAuth, testConfig, waitFor } from '../helpers.js'
import { freshPgDatabase, type PgDatabase } from '../support/pg-database.js'

const config = testConfig({
  server: { shutdownGraceMs: 200 },
  queue: { leaseMs: 1500, pollMs: 50 },
  scenarios: { long: { steps: [{ delay: 10_000 }, { set: { $body: 'done' } }] } },
  webrequests: [{ slug: 'long', scenario: 'long' }]
})

/** Two instances on one database, in this process: what one asks, the other does. */
describe('across instances on PostgreSQL', () => {
  let database: PgDatabase
  const apps: Hookflow[] = []
  const instance = async (): Promise<Hookflow> => {
    const app = await createHookflow(parseConfig(config, { env: {} }), { databaseUrl: database.url, log: pino({ level: 'silent' }) })
    await app.start()
    apps.push(app)
    return app
  }
  beforeEach(async () => { database = await freshPgDatabase() })
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(async (app) => await app.close()))
    await database.drop()
  })

  it('cancels a run executing on another instance', async () => {
    const a = await instance()
    const res = await a.app.inject({ method: 'POST', url: '/api/webrequest/long?async=true' })
    const id = Number(res.headers['x-run-id'])
    await waitFor(async () => a.worker.inFlight === 1 ? true : undefined)
    const b = await instance()
    const started = Date.now()
    const cancel = await b.app.inject({ method: 'POST', url: `/api/runs/${id}/cancel`, headers: adminAuth })
    expect(cancel.statusCode).toBe(200)
    expect(cancel.json()).toEqual({ runId: id, status: 'cancelled' })
    // a stops it at its next lease renewal (every leaseMs / 3), long before the 10 s delay ends.
    expect(Date.now() - started).toBeLessThan(1500)
    expect(a.worker.inFlight).toBe(0)
    const run = (await b.app.inject({ url: `/api/runs/${id}`, headers: adminAuth })).json()
    expect(run.status).toBe('cancelled')
  })

  it('shows every instance the runs any of them recorded, and answers status URLs for them', async () => {
    const [a, b] = [await instance(), await instance()]
    const res = await a.app.inject({ method: 'POST', url: '/api/webrequest/long?async=true' })
    const statusUrl = String(res.headers['x-run-status'])
    const view = await b.app.inject({ url: statusUrl })
    expect(view.statusCode).toBe(200)
    expect(view.json().status).toMatch(/queued|running/)
    const listed = (await b.app.inject({ url: '/api/runs?endpoint=long', headers: adminAuth })).json()
    expect(listed.data.map((run: { id: number }) => run.id)).toEqual([Number(res.headers['x-run-id'])])
  })
})
