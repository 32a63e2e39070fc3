import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, buildTestApp, tempDir, testConfig, waitFor, type TestApp } from '../helpers.js'

const cli = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'index.js')
const exec = promisify(execFile)

async function hookflow (args: string[], env: Record<string, string> = {}): Promise<{ code: number, stdout: string }> {
  try {
    const { stdout } = await exec(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', ...env } })
    return { code: 0, stdout }
  } catch (err) {
    const failure = err as { code: number, stdout: string }
    return { code: failure.code, stdout: failure.stdout }
  }
}

const dir = tempDir()
const write = (name: string, content: unknown): string => {
  const file = join(dir, name)
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

describe('hookflow CLI', () => {
  it('lists every command with --help', async () => {
    const { code, stdout } = await hookflow(['--help'])
    expect(code).toBe(0)
    for (const command of ['serve', 'check-config', 'run', 'send-event', 'sign', 'runs list', 'runs replay', 'migrate', 'backup', 'vacuum']) expect(stdout).toContain(`hookflow ${command}`)
  })

  it('check-config: 0 for a good file, 1 with every problem by path for a bad one', async () => {
    const good = await hookflow(['check-config', join(import.meta.dirname, '..', '..', 'config.example.json')])
    expect(good.code).toBe(0)
    expect(good.stdout).toMatch(/valid — \d+ scenarios/)
    const bad = await hookflow(['check-config', write('bad.json', { server: { trustProxy: true }, scenarios: { a: { steps: [{ sett: {} }] } }, webrequests: [{ slug: 'x', scenario: 'nope' }] })])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('server.trustProxy: true is refused')
    expect(bad.stdout).toContain('scenarios.a.steps[0]: unknown step kind')
    const dangling = await hookflow(['check-config', write('dangling.json', { webrequests: [{ slug: 'x', scenario: 'nope' }] })])
    expect(dangling.code).toBe(1)
    expect(dangling.stdout).toContain('webrequests[0].scenario: unknown scenario "nope"')
  })

  it('run: a dry run prints the step log and output; a fail step exits 1', async () => {
    const config = write('run.json', {
      scenarios: {
        price: { steps: [{ name: 'total', set: { total: '{% body.qty * body.price %}' } }, { set: { $body: { total: '{% total %}' } } }] },
        refuse: { steps: [{ fail: { message: 'too big', $status: 422 } }] },
        calls: { steps: [{ http: { url: 'https://example.com/' } }] }
      }
    })
    const input = write('input.json', { body: { qty: 3, price: 5 } })
    const ok = await hookflow(['run', 'price', '--input', input, '--config', config])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/ok\s+set\s+total/)
    expect(ok.stdout).toContain('"total": 15')
    const failed = await hookflow(['run', 'refuse', '--input', input, '--config', config])
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('status: failed')
    expect(failed.stdout).toContain('error: too big')
    const http = await hookflow(['run', 'calls', '--input', input, '--config', config])
    expect(http.code).toBe(1)
    expect(http.stdout).toMatch(/not performed in a dry run/)
  })

  it('migrate, vacuum and backup work on the configured database', async () => {
    const dbPath = join(dir, 'cli.db')
    const config = write('db.json', { database: { path: dbPath } })
    expect((await hookflow(['migrate', '--config', config])).stdout).toMatch(/applied 001_init/)
    expect((await hookflow(['migrate', '--config', config])).stdout).toContain('database is up to date')
    expect((await hookflow(['vacuum', '--config', config])).code).toBe(0)
    const copy = join(dir, 'copy.db')
    const backup = await hookflow(['backup', copy, '--config', config])
    expect(backup.code).toBe(0)
    expect(backup.stdout).toMatch(/backup: \d+\/\d+ pages/)
    const db = new Database(copy, { readonly: true })
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBeGreaterThan(0)
    db.close()
  // Four CLI processes, each of which starts Node twice (--no-node-snapshot): on a busy 2-core
  // machine running the rest of the suite, more than the default 20 s.
  }, 60_000)
})

describe('hookflow backup under write load', () => {
  it('holds every row committed before it started', async () => {
    const dbPath = join(dir, 'busy.db')
    const hf = await buildTestApp(testConfig({ scenarios: { echo: { steps: [{ set: { $body: 'ok' } }] } }, webrequests: [{ slug: 'echo', scenario: 'echo' }] }), { dbPath })
    for (let i = 0; i < 200; i++) await hf.app.inject({ method: 'POST', url: '/api/webrequest/echo?async=true' })
    await hf.runs.flush()
    const committed = hf.db.prepare('SELECT max(id) FROM runs').pluck().get() as number
    // Writes keep coming while the backup copies pages.
    let writing = true
    const load = (async () => { while (writing) await hf.app.inject({ method: 'POST', url: '/api/webrequest/echo?async=true' }) })()
    const copy = join(dir, 'busy-copy.db')
    const backup = await hookflow(['backup', copy, '--config', write('busy.json', { database: { path: dbPath } })])
    writing = false
    await load
    expect(backup.code).toBe(0)
    const db = new Database(copy, { readonly: true })
    expect(db.prepare('SELECT count(*) FROM runs WHERE id <= ?').pluck().get(committed)).toBe(committed)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
    await hf.close()
  })
})

describe('hookflow runs against a running server', () => {
  let hf: TestApp
  let url: string
  let runId: number
  beforeAll(async () => {
    hf = await buildTestApp(testConfig({ scenarios: { echo: { steps: [{ set: { $body: '{% body %}' } }] }, slow: { steps: [{ delay: 120_000 }] } }, webrequests: [{ slug: 'echo', scenario: 'echo' }, { slug: 'slow', scenario: 'slow' }] }))
    await hf.app.listen({ host: '127.0.0.1', port: 0 })
    url = `http://127.0.0.1:${(hf.app.server.address() as AddressInfo).port}`
    runId = Number((await hf.app.inject({ method: 'POST', url: '/api/webrequest/echo?async=true', payload: { n: 1 } })).headers['x-run-id'])
    await waitFor(async () => { await hf.runs.flush(); return hf.db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId) === 'succeeded' ? true : undefined })
  })
  afterAll(async () => { await hf.close() })
  const env = { HOOKFLOW_ADMIN_TOKEN: ADMIN_TOKEN }

  // Several CLI processes, each started twice (the --no-node-snapshot relaunch): slow on a busy machine,
  // so the run to cancel waits long enough to be still running when the cancel arrives.
  it('lists, shows, replays and cancels', async () => {
    const list = await hookflow(['runs', 'list', '--url', url, '--endpoint', 'echo'], env)
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(new RegExp(`${runId}\\s+succeeded\\s+echo`))
    const show = await hookflow(['runs', 'show', String(runId), '--url', url], env)
    expect(JSON.parse(show.stdout)).toMatchObject({ id: runId, status: 'succeeded' })
    const replay = await hookflow(['runs', 'replay', String(runId), '--url', url], env)
    expect(replay.stdout).toMatch(new RegExp(`replay 1/1: run ${runId} → run \\d+`))
    const slow = Number((await hf.app.inject({ method: 'POST', url: '/api/webrequest/slow?async=true' })).headers['x-run-id'])
    const cancel = await hookflow(['runs', 'cancel', String(slow), '--url', url], env)
    expect(cancel.stdout).toContain(`run ${slow} cancelled`)
    const denied = await hookflow(['runs', 'list', '--url', url], { HOOKFLOW_ADMIN_TOKEN: 'wrong-token-0000000000' })
    expect(denied.code).toBe(1)
    expect(denied.stdout).toContain('error 401')
  }, 60_000)
})
