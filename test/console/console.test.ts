import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, buildTestApp, testConfig, VIEWER_TOKEN, waitFor, type TestApp } from '../helpers.js'

const scenarios = {
  echo: { steps: [{ name: 'compute', set: { total: '{% body.qty * 2 %}' } }, { set: { $body: { total: '{% total %}' } } }] },
  slow: { steps: [{ delay: 3000 }, { set: { $body: 'late' } }] },
  parent: { steps: [{ emit: 'echo', input: { qty: 1 } }, { set: { $body: 'ok' } }] }
}
const webrequests = [{ slug: 'echo', scenario: 'echo' }, { slug: 'slow', scenario: 'slow' }, { slug: 'parent', scenario: 'parent' }]

async function login (hf: TestApp, token: string) {
  const res = await hf.app.inject({ method: 'POST', url: '/console/login', payload: `token=${encodeURIComponent(token)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  const cookie = res.cookies.find((c) => c.name === 'hookflow_console')
  return { res, cookie, cookies: cookie === undefined ? {} : { hookflow_console: cookie.value } }
}

const csrfOf = (page: string): string => /name="csrf" value="([^"]+)"/.exec(page)![1]

async function finishedRun (hf: TestApp, slug: string, body: unknown): Promise<number> {
  const id = Number((await hf.app.inject({ method: 'POST', url: `/api/webrequest/${slug}`, payload: body as object })).headers['x-run-id'])
  await hf.runs.flush()
  return id
}

describe('the run console', () => {
  let hf: TestApp | undefined
  afterEach(async () => { await hf?.close(); hf = undefined })

  it('sends a visitor to the login form and logs in with an HTTP-only, SameSite=Strict cookie', async () => {
    hf = await buildTestApp(testConfig({ scenarios, webrequests }))
    const anonymous = await hf.app.inject({ method: 'GET', url: '/console/runs' })
    expect(anonymous.statusCode).toBe(303)
    expect(anonymous.headers.location).toBe('/console/login')
    expect((await hf.app.inject({ method: 'GET', url: '/console/runs/rows' })).statusCode).toBe(401)

    const bad = await login(hf, 'not-a-token-at-all-123')
    expect(bad.res.statusCode).toBe(401)
    expect(bad.res.body).toContain('Unknown token.')
    expect(bad.cookie).toBeUndefined()

    const { res, cookie } = await login(hf, ADMIN_TOKEN)
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/console/runs')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' })
    expect(cookie!.secure).toBeUndefined()
    expect(cookie!.value).not.toContain(ADMIN_TOKEN)
    // The session id is stored only as a hash.
    expect(hf.db.prepare('SELECT count(*) FROM console_sessions WHERE id_hash = ?').pluck().get(cookie!.value)).toBe(0)
  })

  it('marks the cookie Secure when the request came over TLS (through a trusted proxy)', async () => {
    hf = await buildTestApp(testConfig({ scenarios, webrequests, server: { trustProxy: 1 } }))
    const res = await hf.app.inject({ method: 'POST', url: '/console/login', payload: `token=${ADMIN_TOKEN}`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' } })
    expect(res.cookies.find((c) => c.name === 'hookflow_console')).toMatchObject({ secure: true })
  })

  it('sends a strict Content-Security-Policy and serves its assets itself', async () => {
    hf = await buildTestApp(testConfig({ scenarios, webrequests }))
    const page = await hf.app.inject({ method: 'GET', url: '/console/login' })
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.body).not.toMatch(/<script>|style="|https?:\/\//)
    const script = await hf.app.inject({ method: 'GET', url: '/console/assets/console.js' })
    expect(script.statusCode).toBe(200)
    expect(script.headers['content-type']).toContain('text/javascript')
    expect((await hf.app.inject({ method: 'GET', url: '/console/assets/..%2Fpackage.json' })).statusCode).toBe(404)
  })

  it('lists runs with filters and paging, and shows a run with its timeline and links', async () => {
    hf = await buildTestApp(testConfig({ scenarios, webrequests }))
    const { cookies } = await login(hf, VIEWER_TOKEN)
    const ids: number[] = []
    for (let i = 0; i < 3; i++) ids.push(await finishedRun(hf, 'echo', { qty: i }))
    const parentId = await finishedRun(hf, 'parent', {})
    const child = await waitFor(async () => {
      await hf!.runs.flush()
      return hf!.db.prepare("SELECT id FROM runs WHERE parent_run_id = ? AND status = 'succeeded'").pluck().get(parentId) as number | undefined
    })

    const all = await hf.app.inject({ method: 'GET', url: '/console/runs', cookies })
    expect(all.statusCode).toBe(200)
    for (const id of [...ids, parentId, child]) expect(all.body).toContain(`data-run-id="${id}"`)

    const filtered = await hf.app.inject({ method: 'GET', url: '/console/runs?endpoint=parent&status=succeeded', cookies })
    expect(filtered.body).toContain(`data-run-id="${parentId}"`)
    expect(filtered.body).not.toContain(`data-run-id="${ids[0]}"`)
    const empty = await hf.app.inject({ method: 'GET', url: `/console/runs?from=${new Date(Date.now() + 3_600_000).toISOString().slice(0, 16)}`, cookies })
    expect(empty.body).toContain('No runs match.')
    const bad = await hf.app.inject({ method: 'GET', url: '/console/runs?status=bogus', cookies })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('invalid filter: status')

    const first = await hf.app.inject({ method: 'GET', url: '/console/runs?endpoint=echo&limit=2', cookies })
    expect(first.body).toContain(`data-run-id="${ids[2]}"`)
    const older = /id="older" href="([^"]+)"/.exec(first.body)![1].replaceAll('&amp;', '&')
    const second = await hf.app.inject({ method: 'GET', url: older, cookies })
    expect(second.body).toContain(`data-run-id="${ids[0]}"`)
    expect(second.body).not.toContain(`data-run-id="${ids[2]}"`)

    const rows = await hf.app.inject({ method: 'GET', url: '/console/runs/rows?endpoint=echo', cookies })
    expect(rows.body.trim().startsWith('<tr')).toBe(true)

    const parentPage = await hf.app.inject({ method: 'GET', url: `/console/runs/${parentId}`, cookies })
    expect(parentPage.body).toContain('id="timeline"')
    expect(parentPage.body).toContain(`href="/console/runs/${child}"`)
    const childPage = await hf.app.inject({ method: 'GET', url: `/console/runs/${child}`, cookies })
    expect(childPage.body).toMatch(new RegExp(`id="parent"><a href="/console/runs/${parentId}"`))
    const echoPage = await hf.app.inject({ method: 'GET', url: `/console/runs/${ids[1]}`, cookies })
    expect(echoPage.body.match(/<g class="step"/g)).toHaveLength(2)
    expect(echoPage.body).toContain('&quot;total&quot;: 2')
    expect((await hf.app.inject({ method: 'GET', url: '/console/runs/999999', cookies })).statusCode).toBe(404)
  })

  it('lets an admin replay and cancel with the form token, refuses a viewer and a form without it, and audits', async () => {
    hf = await buildTestApp(testConfig({ scenarios, webrequests }))
    const id = await finishedRun(hf, 'echo', { qty: 5 })
    const viewer = await login(hf, VIEWER_TOKEN)
    const viewerPage = await hf.app.inject({ method: 'GET', url: `/console/runs/${id}`, cookies: viewer.cookies })
    expect(viewerPage.body).not.toContain('id="replay"')
    const refused = await hf.app.inject({ method: 'POST', url: `/console/runs/${id}/replay`, cookies: viewer.cookies, payload: { csrf: csrfOf(viewerPage.body) } })
    expect(refused.statusCode).toBe(403)

    const admin = await login(hf, ADMIN_TOKEN)
    const page = await hf.app.inject({ method: 'GET', url: `/console/runs/${id}`, cookies: admin.cookies })
    expect(page.body).toContain('id="replay"')
    const noToken = await hf.app.inject({ method: 'POST', url: `/console/runs/${id}/replay`, cookies: admin.cookies, payload: {} })
    expect(noToken.statusCode).toBe(403)
    const wrongToken = await hf.app.inject({ method: 'POST', url: `/console/runs/${id}/replay`, cookies: admin.cookies, payload: { csrf: csrfOf(viewerPage.body) } })
    expect(wrongToken.statusCode).toBe(403)

    const replay = await hf.app.inject({ method: 'POST', url: `/console/runs/${id}/replay`, cookies: admin.cookies, payload: { csrf: csrfOf(page.body) } })
    expect(replay.statusCode).toBe(303)
    const newId = Number(/\/console\/runs\/(\d+)\?notice=replayed/.exec(String(replay.headers.location))![1])
    const replayPage = await hf.app.inject({ method: 'GET', url: String(replay.headers.location), cookies: admin.cookies })
    expect(replayPage.body).toContain('Replay queued')
    expect(replayPage.body).toMatch(new RegExp(`id="replay-of"><a href="/console/runs/${id}"`))
    await waitFor(async () => { await hf!.runs.flush(); return (await hf!.runs.get(newId))?.status === 'succeeded' ? true : undefined })
    expect((await hf.runs.get(newId))!.output).toMatchObject({ $body: { total: 10 } })

    const slow = Number((await hf.app.inject({ method: 'POST', url: '/api/webrequest/slow?async=true' })).headers['x-run-id'])
    const slowPage = await hf.app.inject({ method: 'GET', url: `/console/runs/${slow}`, cookies: admin.cookies })
    expect(slowPage.body).toContain('id="cancel"')
    const cancel = await hf.app.inject({ method: 'POST', url: `/console/runs/${slow}/cancel`, cookies: admin.cookies, payload: { csrf: csrfOf(slowPage.body) } })
    expect(cancel.headers.location).toBe(`/console/runs/${slow}?notice=cancelled`)
    const again = await hf.app.inject({ method: 'POST', url: `/console/runs/${slow}/cancel`, cookies: admin.cookies, payload: { csrf: csrfOf(slowPage.body) } })
    expect(again.headers.location).toBe(`/console/runs/${slow}?notice=not-cancellable`)

    const audit = hf.db.prepare('SELECT action, actor, detail FROM audit_log ORDER BY id').all() as Array<{ action: string, actor: string, detail: string }>
    expect(audit.map((row) => [row.action, row.actor, JSON.parse(row.detail).via])).toEqual([['replay', 'token-1', 'console'], ['cancel', 'token-1', 'console']])
  })

  it('shows attacker-controlled run data as text', async () => {
    hf = await buildTestApp(testConfig({ scenarios, webrequests }))
    const { cookies } = await login(hf, ADMIN_TOKEN)
    const hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">"\'`'
    const id = await finishedRun(hf, 'echo', { qty: 1, note: hostile })
    const page = await hf.app.inject({ method: 'GET', url: `/console/runs/${id}`, cookies })
    expect(page.body).not.toContain('<script>alert')
    expect(page.body).not.toContain('<img src=x')
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=\\&quot;alert(2)\\&quot;&gt;')
  })

  it('ends a session on logout server-side, and when its token is rotated out', async () => {
    hf = await buildTestApp(testConfig({ scenarios, webrequests }))
    const { cookies } = await login(hf, ADMIN_TOKEN)
    const page = await hf.app.inject({ method: 'GET', url: '/console/runs', cookies })
    expect(page.statusCode).toBe(200)
    const out = await hf.app.inject({ method: 'POST', url: '/console/logout', cookies, payload: { csrf: csrfOf(page.body) } })
    expect(out.statusCode).toBe(303)
    expect(out.cookies.find((c) => c.name === 'hookflow_console')!.value).toBe('')
    // The old cookie is worthless now, even if someone kept a copy.
    expect((await hf.app.inject({ method: 'GET', url: '/console/runs', cookies })).statusCode).toBe(303)

    const viewer = await login(hf, VIEWER_TOKEN)
    expect((await hf.app.inject({ method: 'GET', url: '/console/runs', cookies: viewer.cookies })).statusCode).toBe(200)
    hf.db.prepare('UPDATE console_sessions SET token_digest = ?').run('00'.repeat(32))
    expect((await hf.app.inject({ method: 'GET', url: '/console/runs', cookies: viewer.cookies })).statusCode).toBe(303)
  })

  it('lists every entry point with its full URL, state, counts and a curl line', async () => {
    hf = await buildTestApp(testConfig({ scenarios, webrequests: [...webrequests, { slug: 'off', scenario: 'echo', enabled: false }], events: [{ name: 'ping', scenario: 'echo' }] }))
    const { cookies } = await login(hf, VIEWER_TOKEN)
    await finishedRun(hf, 'echo', { qty: 1 })
    const page = await hf.app.inject({ method: 'GET', url: '/console/endpoints', cookies, headers: { host: 'hooks.example.test:8080' } })
    expect(page.body).toContain('<code>http://hooks.example.test:8080/api/webrequest/echo</code>')
    expect(page.body).toMatch(/data-name="echo">[\s\S]*?succeeded 1/)
    expect(page.body).toMatch(/data-name="off">[\s\S]*?disabled/)
    expect(page.body).toContain('curl -X POST &#39;http://hooks.example.test:8080/api/webrequest/echo&#39;')
    expect(page.body).toContain('data-kind="event" data-name="ping"')
    expect(page.body).toContain('data-copy="example-0-0"')
  })

  it('limits login attempts per client', async () => {
    hf = await buildTestApp(testConfig({ scenarios, webrequests }))
    let last = 0
    for (let i = 0; i < 11; i++) last = (await login(hf, 'wrong-token-attempt-00')).res.statusCode
    expect(last).toBe(429)
  })
})
