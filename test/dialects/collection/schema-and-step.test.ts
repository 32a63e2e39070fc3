import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseConfig } from '../../../src/config/load-config.js'
import { DEMO_TOKENS } from '../../../src/config/demo-tokens.js'
import { adminAuth, buildTestApp, sql, sqlValue, tempDir, testConfig, waitFor } from '../../helpers.js'
import { collectionsConfig, editor } from './fixtures.js'

describe('collection tables follow the config without losing data', () => {
  it('adds a new field as a column, keeps a removed field’s data, and refuses a changed type', async () => {
    const dbPath = join(tempDir(), 'hookflow.db')
    const v1 = testConfig({ collections: { notes: { fields: { title: { type: 'string' }, old: { type: 'text' } } } }, users: [{ id: '1', token: 'user-token-0123456789', roles: ['w'] }], roles: { w: { notes: ['create', 'get'] } } })
    let hf = await buildTestApp(v1, { dbPath })
    const auth = { authorization: 'Bearer user-token-0123456789', 'content-type': 'application/json' }
    await hf.app.inject({ method: 'POST', url: '/api/notes:create', headers: auth, payload: JSON.stringify({ title: 'a', old: 'keep me' }) })
    await hf.close()

    const v2 = { ...v1, collections: { notes: { fields: { title: { type: 'string' }, stars: { type: 'integer' } } } } }
    hf = await buildTestApp(v2, { dbPath })
    const created = await hf.app.inject({ method: 'POST', url: '/api/notes:create', headers: auth, payload: JSON.stringify({ title: 'b', stars: 5 }) })
    expect(created.json().data).toMatchObject({ title: 'b', stars: 5 })
    expect(created.json().data).not.toHaveProperty('old')
    expect(await sqlValue(hf, 'SELECT old FROM col_notes WHERE id = 1')).toBe('keep me')
    await hf.close()

    const v3 = { ...v1, collections: { notes: { fields: { title: { type: 'integer' } } } } }
    await expect(buildTestApp(v3, { dbPath })).rejects.toThrow(/field "title" is stored as string but the config says integer/)
  })

  it('refuses names that are not plain identifiers', () => {
    const raw = { collections: { 'posts; DROP': { fields: {} }, ok: { fields: { 'a"b': { type: 'string' }, id: { type: 'string' } } } } }
    try {
      parseConfig(raw, { env: {} })
      expect.unreachable()
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n')
      expect(problems).toMatch(/collections\["posts; DROP"\]: invalid name/)
      expect(problems).toMatch(/collections\.ok\.fields\["a\\"b"\]: invalid name/)
      expect(problems).toMatch(/collections\.ok\.fields\.id: invalid name: is a field every record already has/)
    }
  })
})

describe('demo tokens', () => {
  const example = join(import.meta.dirname, '..', '..', '..', 'config.example.json')

  it('lists every token config.example.json ships', () => {
    const { config } = loadConfig(example, {})
    const tokens = [...config.admin.tokens.map((t) => t.token), ...config.users.map((u) => u.token), ...config.events.flatMap((e) => e.token ?? []), ...config.clients.map((c) => c.token), ...config.webrequests.flatMap((w) => w.verify?.secrets ?? [])]
    for (const token of tokens) expect(DEMO_TOKENS.has(token), token).toBe(true)
  })

  it('refuses to serve them on a non-loopback address, and says why', () => {
    expect(() => loadConfig(example, { HOOKFLOW_HOST: '0.0.0.0' })).toThrow(/users\[0\]\.token: is a demo token from config\.example\.json; refusing to serve on 0\.0\.0\.0/)
    expect(() => loadConfig(example, { HOOKFLOW_HOST: '127.0.0.1' })).not.toThrow()
  })
})

describe('the record step', () => {
  it('creates, reads and lists records from a scenario, and writes nothing on bad values', async () => {
    const hf = await buildTestApp(collectionsConfig({
      scenarios: {
        noted: { steps: [{ set: { $body: 'ok' } }] },
        roundtrip: {
          steps: [
            { record: { collection: 'posts', action: 'create', values: { title: '{% body.title %}', views: 1 } }, as: 'post' },
            { record: { collection: 'posts', action: 'update', filterByTk: '{% post.id %}', values: { views: '{% post.views + 1 %}' } }, as: 'post' },
            { record: { collection: 'posts', action: 'get', filterByTk: '{% post.id %}' }, as: 'again' },
            { record: { collection: 'posts', action: 'list', filter: { title: '{% body.title %}' } }, as: 'found' },
            { set: { $body: { views: '{% again.views %}', count: '{% found.meta.count %}' } } }
          ]
        },
        invalid: { steps: [{ name: 'bad write', record: { collection: 'posts', action: 'create', values: { views: 'x' } } }] }
      },
      webrequests: [{ slug: 'roundtrip', scenario: 'roundtrip' }, { slug: 'invalid', scenario: 'invalid' }]
    }))
    const res = await hf.app.inject({ method: 'POST', url: '/api/webrequest/roundtrip', payload: { title: 'from a scenario' } })
    expect(res.json()).toEqual({ views: 2, count: 1 })
    const bad = await hf.app.inject({ method: 'POST', url: '/api/webrequest/invalid' })
    expect(bad.json().error).toMatch(/record step "bad write" .* failed: posts:create: views: must be an integer; title: is required/)
    expect(await sqlValue(hf, 'SELECT count(*) FROM col_posts')).toBe(1)
    await hf.close()
  })

  it('triggers global workflows only when asked, and caps chains of them', async () => {
    const hf = await buildTestApp(collectionsConfig({
      runner: { maxEmitDepth: 3 },
      scenarios: {
        noted: { steps: [{ set: { $body: 'ok' } }] },
        // A global workflow on tags that writes another tag: a loop, stopped by the cap.
        again: { steps: [{ record: { collection: 'tags', action: 'create', values: { name: 'more' }, triggerWorkflows: true } }] },
        quiet: { steps: [{ record: { collection: 'tags', action: 'create', values: { name: 'quiet' } } }] }
      },
      workflows: [{ key: 'loop', collection: 'tags', on: 'create', mode: 'global', scenario: 'again' }],
      webrequests: [{ slug: 'quiet', scenario: 'quiet' }, { slug: 'again', scenario: 'again' }]
    }))
    await hf.app.inject({ method: 'POST', url: '/api/webrequest/quiet' })
    await hf.runs.flush()
    expect(await sqlValue(hf, "SELECT count(*) FROM runs WHERE kind = 'workflow'")).toBe(0)

    await hf.app.inject({ method: 'POST', url: '/api/webrequest/again' })
    const deepest = await waitFor(async () => {
      await hf.runs.flush()
      const [row] = await sql<{ id: number, status: string, error: string }>(hf, "SELECT id, depth, status, error FROM runs WHERE kind = 'workflow' AND depth = 3")
      return row?.status === 'failed' ? row : undefined
    })
    expect(JSON.parse(deepest.error).message).toMatch(/workflow chain limit reached/)
    expect(await sqlValue(hf, "SELECT count(*) FROM runs WHERE kind = 'workflow'")).toBe(3)
    const run = (await hf.app.inject({ method: 'GET', url: `/api/runs/${deepest.id}`, headers: adminAuth })).json()
    expect(run.parentRunId).not.toBeNull()
    await hf.close()
  })
})

describe('the NocoBase curl examples against config.example.json', () => {
  it('create with triggerWorkflows=key and key!category, with the demo token', async () => {
    const { config } = loadConfig(join(import.meta.dirname, '..', '..', '..', 'config.example.json'), {})
    const hf = await buildTestApp(config as unknown as Record<string, unknown>)
    const headers = { authorization: 'Bearer demo-editor-token-0123456789', 'x-role': 'editor', 'content-type': 'application/json' }
    const first = await hf.app.inject({ method: 'POST', url: '/api/posts:create?triggerWorkflows=post-created', headers, payload: JSON.stringify({ title: 'Hello, world!' }) })
    expect(first.statusCode).toBe(200)
    const second = await hf.app.inject({ method: 'POST', url: '/api/posts:create?triggerWorkflows=category-created!category', headers, payload: JSON.stringify({ title: 'Hello, world!', category: { title: 'Test category' } }) })
    expect(second.statusCode).toBe(200)
    const audit = await waitFor(async () => {
      const list = (await hf.app.inject({ method: 'GET', url: '/api/audit:list', headers: { authorization: editor.authorization.replace(/.*/, 'Bearer demo-editor-token-0123456789') } })).json()
      return list.meta.count === 2 ? list : undefined
    })
    expect(audit.data.map((entry: { what: string }) => entry.what).sort()).toEqual(['categories create (category-created)', 'post created by user 2 as editor'])
    await hf.close()
  })
})
