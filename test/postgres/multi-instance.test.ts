import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgPool, type PgPool } from '../../src/storage/postgres/pool.js'
import { ADMIN_TOKEN, tempDir, waitFor } from '../helpers.js'
import { startServer, type ServerProcess } from '../server-process.js'
import { freshPgDatabase, type PgDatabase } from '../support/pg-database.js'

const EVENT_TOKEN = 'multi-instance-event-token'
const INSTANCES = ['a', 'b', 'c'] as const

/**
 * One config per instance, the same but for the label its scenario writes: every execution of a
 * run records where it ran, with which attempt, when it started and when it ended.
 */
function writeConfig (dir: string, url: string, instance: string): string {
  const effect = (phase: string) => ({
    record: { collection: 'effects', action: 'create', values: { runId: '{% run.id %}', attempt: '{% run.attempt %}', instance, phase, at: '{% $millis() %}' } }
  })
  const file = join(dir, `config-${instance}.json`)
  writeFileSync(file, JSON.stringify({
    // info: the server announces its URL at that level. No local networks: every event is remote.
    server: { logLevel: 'info', localNetworks: [] },
    database: { url },
    admin: { tokens: [{ token: ADMIN_TOKEN, role: 'admin' }] },
    queue: { concurrency: 8, leaseMs: 1500, pollMs: 100 },
    collections: {
      effects: {
        fields: { runId: { type: 'integer', required: true }, attempt: { type: 'integer' }, instance: { type: 'string' }, phase: { type: 'string' }, at: { type: 'integer' } }
      }
    },
    scenarios: {
      work: { steps: [effect('start'), { delay: 30 }, effect('end'), { set: { $body: 'ok' } }] },
      pong: { steps: [{ set: { $body: 'pong' } }] }
    },
    webrequests: [{ slug: 'work', scenario: 'work' }],
    events: [{ name: 'ping', scenario: 'pong', token: EVENT_TOKEN }]
  }))
  return file
}

interface Effect { runId: number, attempt: number, instance: string, phase: string, at: number }

describe('three instances on one PostgreSQL database', () => {
  let database: PgDatabase
  let pool: PgPool
  const servers = new Map<string, { process: ServerProcess, url: string }>()

  beforeAll(async () => {
    database = await freshPgDatabase()
    pool = createPgPool(database.url, 2)
  })
  afterAll(async () => {
    await pool.end()
    await database.drop()
  })

  it('shares one queue and one nonce store: a kill -9 loses no acknowledged run, and no run runs on two live instances at once', async () => {
    const dir = tempDir()
    // Started together: their migrations race for the advisory lock.
    await Promise.all(INSTANCES.map(async (name) => {
      const process = startServer(['--config', writeConfig(dir, database.url, name)], { HOOKFLOW_PORT: '0' })
      servers.set(name, { process, url: await process.url })
    }))
    const url = (name: string): string => servers.get(name)!.url

    // A rand issued by a is good once on b, and refused after, on c.
    const rand = ((await (await fetch(`${url('a')}/api/randid`)).json()) as { rand: string }).rand
    const sign = createHash('sha256').update(`ping${'hi'}${rand}${EVENT_TOKEN}`).digest('hex')
    const signed = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ping', data: 'hi', rand, sign }) }
    const first = await fetch(`${url('b')}/api/event`, signed)
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ success: true })
    expect((await fetch(`${url('c')}/api/event`, signed)).status).toBe(403)
    expect((await fetch(`${url('b')}/api/event`, signed)).status).toBe(403)

    // 1 000 async requests spread over the instances, 30 at a time; c is killed once 400 are
    // acknowledged (requests in flight to it then fail: those were never acknowledged).
    const acknowledged: number[] = []
    let sent = 0
    let killedAt: number | undefined
    await Promise.all(Array.from({ length: 30 }, async () => {
      while (sent < 1000) {
        // As a load balancer would: round robin, and no more requests to an instance once it is down.
        const alive = killedAt === undefined ? INSTANCES : INSTANCES.filter((name) => name !== 'c')
        const target = alive[sent % alive.length]
        sent += 1
        try {
          const res = await fetch(`${url(target)}/api/webrequest/work?async=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' })
          if (res.ok) acknowledged.push(Number(res.headers.get('x-run-id')))
        } catch {
          // Refused or reset by the killed instance: nothing was promised.
        }
        if (killedAt === undefined && acknowledged.length >= 400) {
          killedAt = Date.now()
          servers.get('c')!.process.kill('SIGKILL')
        }
      }
    }))
    expect(await servers.get('c')!.process.exit).toBe(null)
    expect(acknowledged.length).toBeGreaterThanOrEqual(950)
    expect(new Set(acknowledged).size).toBe(acknowledged.length)

    // Every acknowledged run succeeds: c's leases run out and a or b take its runs over.
    await waitFor(async () => {
      const { rows } = await pool.query<{ n: number }>("SELECT count(*) AS n FROM runs WHERE id = ANY($1::bigint[]) AND status = 'succeeded'", [acknowledged])
      return rows[0].n === acknowledged.length ? true : undefined
    }, 30_000)

    const effects = (await pool.query<Effect>('SELECT "runId", attempt, instance, phase, at FROM col_effects ORDER BY at')).rows
    const byRun = new Map<number, Effect[]>()
    for (const effect of effects) byRun.set(effect.runId, [...(byRun.get(effect.runId) ?? []), effect])
    let takenOver = 0
    for (const id of acknowledged) {
      const seen = byRun.get(id) ?? []
      expect(seen.some((effect) => effect.phase === 'end'), `run ${id} ended`).toBe(true)
      const starts = seen.filter((effect) => effect.phase === 'start')
      const live = starts.filter((effect) => effect.instance !== 'c')
      // At most one execution on the instances that stayed up; a second one only after c died.
      expect(live.length, `run ${id} started on a or b once`).toBeLessThanOrEqual(1)
      const onC = starts.filter((effect) => effect.instance === 'c')
      if (onC.length > 0 && live.length > 0) {
        takenOver += 1
        expect(live[0].at, `run ${id} taken over only after c died`).toBeGreaterThanOrEqual(killedAt!)
        expect(live[0].attempt).toBeGreaterThan(onC[0].attempt)
      }
    }
    // c died with runs in flight, and they were finished elsewhere.
    expect(takenOver).toBeGreaterThan(0)

    for (const name of ['a', 'b']) {
      servers.get(name)!.process.kill('SIGTERM')
      expect(await servers.get(name)!.process.exit).toBe(0)
    }
  }, 90_000)
})
