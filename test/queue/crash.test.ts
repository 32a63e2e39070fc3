import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, tempDir, waitFor } from '../helpers.js'
import { startServer } from '../server-process.js'

/** A server whose scenarios record a side effect (the run id and attempt) in a collection. */
function writeConfig (dir: string): string {
  const file = join(dir, 'config.json')
  const effect = { record: { collection: 'effects', action: 'create', values: { runId: '{% run.id %}', attempt: '{% run.attempt %}' } } }
  writeFileSync(file, JSON.stringify({
    // info: the server announces its URL at that level.
    server: { logLevel: 'info' },
    admin: { tokens: [{ token: ADMIN_TOKEN, role: 'admin' }] },
    // Priority as in test/helpers.ts: another test file may be busy beside this one.
    runner: { hosts: 2, hostNice: 0 },
    queue: { concurrency: 8, leaseMs: 1500, pollMs: 100 },
    collections: { effects: { fields: { runId: { type: 'integer', required: true }, attempt: { type: 'integer' } } } },
    scenarios: {
      work: { steps: [{ delay: 20 }, effect, { set: { $body: 'ok' } }] },
      long: { steps: [{ delay: 2500 }, effect] },
      'slow-sync': { steps: [{ delay: 1000 }, { set: { $body: { finished: true } } }] }
    },
    webrequests: [{ slug: 'work', scenario: 'work' }, { slug: 'long', scenario: 'long' }, { slug: 'slow-sync', scenario: 'slow-sync' }]
  }))
  return file
}

const env = (dir: string) => ({ HOOKFLOW_PORT: '0', HOOKFLOW_DB: join(dir, 'hookflow.db') })

describe('kill -9 loses nothing that was acknowledged', () => {
  it('runs every async request that got a 2xx to succeeded, with its side effect, across a crash', async () => {
    const dir = tempDir()
    const config = writeConfig(dir)
    let server = startServer(['--config', config], env(dir))
    const url = await server.url
    const acknowledged: number[] = []
    let sent = 0
    let killed = false

    // 500 requests, 25 at a time; the server is killed once 250 are acknowledged.
    await Promise.all(Array.from({ length: 25 }, async () => {
      while (sent < 500) {
        sent += 1
        try {
          const res = await fetch(`${url}/api/webrequest/work?async=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' })
          if (res.ok) acknowledged.push(Number(res.headers.get('x-run-id')))
        } catch {
          // Refused or reset: not acknowledged, so nothing was promised.
        }
        if (!killed && acknowledged.length >= 250) {
          killed = true
          server.kill('SIGKILL')
        }
      }
    }))
    expect(await server.exit).toBe(null)
    expect(acknowledged.length).toBeGreaterThanOrEqual(250)

    server = startServer(['--config', config], env(dir))
    await server.url
    const db = new Database(join(dir, 'hookflow.db'), { readonly: true })
    const ids = JSON.stringify(acknowledged)
    await waitFor(() => {
      const done = db.prepare(`SELECT count(*) FROM runs WHERE id IN (SELECT value FROM json_each(?)) AND status = 'succeeded'`).pluck().get(ids) as number
      return done === acknowledged.length ? true : undefined
    }, 30_000)
    const missing = db.prepare(`SELECT value FROM json_each(?) WHERE value NOT IN (SELECT runId FROM col_effects)`).pluck().all(ids)
    expect(missing).toEqual([])
    db.close()
    server.kill('SIGTERM')
    expect(await server.exit).toBe(0)
  }, 60_000)

  it('retries a run killed during a long step as attempt 2', async () => {
    const dir = tempDir()
    const config = writeConfig(dir)
    let server = startServer(['--config', config], env(dir))
    let url = await server.url
    const res = await fetch(`${url}/api/webrequest/long?async=true`, { method: 'POST' })
    const runId = Number(res.headers.get('x-run-id'))
    const db = new Database(join(dir, 'hookflow.db'), { readonly: true })
    await waitFor(() => db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId) === 'running' ? true : undefined)
    server.kill('SIGKILL')
    await server.exit

    server = startServer(['--config', config], env(dir))
    url = await server.url
    const run = await waitFor(async () => {
      const body = await (await fetch(`${url}/api/runs/${runId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json() as { status: string, attempt: number }
      return body.status === 'succeeded' ? body : undefined
    }, 15_000)
    expect(run.attempt).toBe(2)
    expect(db.prepare('SELECT attempt FROM col_effects WHERE runId = ?').pluck().all(runId)).toEqual([2])
    db.close()
    server.kill('SIGTERM')
    expect(await server.exit).toBe(0)
  })

  it('lets an in-flight sync run finish on SIGTERM, refuses new work, and exits 0', async () => {
    const dir = tempDir()
    const server = startServer(['--config', writeConfig(dir)], env(dir))
    const url = await server.url
    const inFlight = fetch(`${url}/api/webrequest/slow-sync`)
    await new Promise((resolve) => setTimeout(resolve, 200))
    server.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const late = await fetch(`${url}/api/webrequest/slow-sync`).then((res) => res.status, () => 'refused')
    expect([503, 'refused']).toContain(late)
    const res = await inFlight
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ finished: true })
    expect(await server.exit).toBe(0)
  })
})
