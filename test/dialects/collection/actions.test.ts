import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { adminAuth, buildTestApp, sql, sqlValue, waitFor, type TestApp } from '../../helpers.js'
import { collectionsConfig, EDITOR, editor, member } from './fixtures.js'

describe('collection actions', () => {
  let hf: TestApp
  beforeEach(async () => { hf = await buildTestApp(collectionsConfig()) })
  afterEach(async () => { await hf.close() })

  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = editor) =>
    await hf.app.inject({ method, url, headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, payload: payload === undefined ? undefined : JSON.stringify(payload) })
  const rows = async (table: string): Promise<number> => await sqlValue<number>(hf, `SELECT count(*) AS n FROM "col_${table}"`)
  const workflowRuns = async (key?: string) => {
    await hf.runs.flush()
    return await sql<{ id: number, endpoint: string, input: string }>(hf, `SELECT id, endpoint, input, parent_run_id FROM runs WHERE kind = 'workflow'${key === undefined ? '' : ' AND endpoint = ?'} ORDER BY id`, ...(key === undefined ? [] : [key]))
  }

  it('creates, gets, updates, lists and destroys records in NocoBase shapes', async () => {
    const created = await call('POST', '/api/posts:create', { title: 'Hello', views: 3, score: 1.5, published: true, at: '2026-01-02T03:04:05+01:00', meta: { a: [1] } })
    expect(created.statusCode).toBe(200)
    const post = created.json().data
    expect(post).toEqual({ id: 1, createdAt: expect.any(String), updatedAt: expect.any(String), title: 'Hello', content: null, views: 3, score: 1.5, published: true, at: '2026-01-02T02:04:05.000Z', meta: { a: [1] }, categoryId: null })
    expect((await call('GET', '/api/posts:get?filterByTk=1')).json()).toEqual({ data: post })
    const updated = (await call('POST', '/api/posts:update?filterByTk=1', { views: 4 })).json().data
    expect(updated).toMatchObject({ id: 1, views: 4, title: 'Hello' })
    for (let i = 0; i < 4; i++) await call('POST', '/api/posts:create', { title: `p${i}` })
    const list = (await call('GET', '/api/posts:list?page=2&pageSize=2')).json()
    expect(list.data.map((p: { id: number }) => p.id)).toEqual([3, 4])
    expect(list.meta).toEqual({ count: 5, page: 2, pageSize: 2, totalPage: 3 })
    const filtered = (await call('GET', `/api/posts:list?filter=${encodeURIComponent('{"title":"p2"}')}&sort=-id`)).json()
    expect(filtered.data.map((p: { title: string }) => p.title)).toEqual(['p2'])
    expect((await call('POST', '/api/posts:destroy?filterByTk=1')).json().data).toMatchObject({ id: 1 })
    expect((await call('GET', '/api/posts:get?filterByTk=1')).statusCode).toBe(404)
    expect(await rows('posts')).toBe(4)
  })

  it('runs exactly the named workflow once, after the commit, with the documented input', async () => {
    const res = await call('POST', '/api/posts:create?triggerWorkflows=notify', { title: 'Hello, world!' }, { ...editor, 'x-role': 'editor' })
    expect(res.statusCode).toBe(200)
    const runs = await workflowRuns()
    expect(runs.map((run) => run.endpoint)).toEqual(['notify'])
    const input = JSON.parse(runs[0].input)
    expect(input).toEqual({
      data: res.json().data, collection: 'posts', action: 'create', user: { id: '2' }, role: 'editor',
      event: { id: expect.any(String), type: '$collectionAction', workflowKey: 'notify' }
    })
    const run = await waitFor(async () => {
      const r = (await hf.app.inject({ method: 'GET', url: `/api/runs/${runs[0].id}`, headers: adminAuth })).json()
      return r.status === 'succeeded' ? r : undefined
    })
    expect(run.output.$body.saw.title).toBe('Hello, world!')
  })

  it('creates the category of k!category and runs k for it', async () => {
    const res = await call('POST', '/api/posts:create?triggerWorkflows=cat!category', { title: 'Hello, world!', category: { title: 'Test category' } })
    expect(res.statusCode).toBe(200)
    expect(res.json().data.categoryId).toBe(1)
    expect(await rows('categories')).toBe(1)
    const runs = await workflowRuns()
    expect(runs.map((run) => run.endpoint)).toEqual(['cat'])
    expect(JSON.parse(runs[0].input)).toMatchObject({ data: { id: 1, title: 'Test category' }, collection: 'categories', action: 'create' })
  })

  it('links an existing category by id instead of creating one', async () => {
    await call('POST', '/api/categories:create', { title: 'Existing' })
    const res = await call('POST', '/api/posts:create', { title: 'x', category: { id: 1 } })
    expect(res.json().data.categoryId).toBe(1)
    expect(await rows('categories')).toBe(1)
    const missing = await call('POST', '/api/posts:create', { title: 'y', category: { id: 99 } })
    expect(missing.statusCode).toBe(400)
    expect(await rows('posts')).toBe(1)
  })

  it('creates every hasMany child and runs k once per child', async () => {
    const res = await call('POST', '/api/posts:create?triggerWorkflows=tagged!tags', { title: 't', tags: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] })
    expect(res.statusCode).toBe(200)
    const tags = await sql(hf, 'SELECT name, "postId" FROM col_tags ORDER BY id')
    expect(tags).toEqual([{ name: 'a', postId: 1 }, { name: 'b', postId: 1 }, { name: 'c', postId: 1 }])
    expect((await workflowRuns('tagged')).map((run) => JSON.parse(run.input).data.name)).toEqual(['a', 'b', 'c'])
  })

  it('runs a global workflow without being named', async () => {
    await call('POST', '/api/posts:create', { title: 'gone soon' })
    expect(await workflowRuns()).toEqual([])
    await call('POST', '/api/posts:destroy?filterByTk=1')
    const runs = await workflowRuns()
    expect(runs.map((run) => run.endpoint)).toEqual(['every-post'])
    expect(JSON.parse(runs[0].input)).toMatchObject({ action: 'destroy', data: { title: 'gone soon' } })
  })

  it.each([
    ['nope', /"nope" is not a configured workflow/],
    ['off', /"off" is disabled/],
    ['cat', /"cat" is bound to collection "categories", not "posts"/],
    ['on-update', /"on-update" runs on update, not on create/],
    ['notify,nope', /"nope" is not a configured workflow/],
    ['notify!category', /"notify!category" is bound to collection "posts", not "categories"/],
    ['cat!nothing', /"posts" has no association "nothing"/]
  ])('refuses triggerWorkflows=%s with 400, naming the key, and writes nothing', async (param, message) => {
    const res = await call('POST', `/api/posts:create?triggerWorkflows=${param}`, { title: 'x', category: { title: 'c' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors[0].message).toMatch(message)
    expect(await rows('posts')).toBe(0)
    expect(await rows('categories')).toBe(0)
    expect(await workflowRuns()).toEqual([])
  })

  it('names every invalid field in NocoBase’s error shape', async () => {
    const res = await call('POST', '/api/posts:create', { views: 'many', published: 'yes', at: 'not a date', extra: 1 })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors.map((e: { message: string }) => e.message).sort()).toEqual([
      'at: must be a date (ISO 8601)', 'extra: unknown field of "posts"', 'published: must be true or false', 'title: is required', 'views: must be an integer'
    ])
  })

  it('answers 400 for malformed JSON and a non-object body', async () => {
    const bad = await hf.app.inject({ method: 'POST', url: '/api/posts:create', headers: { ...editor, 'content-type': 'application/json' }, payload: '{"title":' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].message).toMatch(/malformed JSON/)
    expect((await call('POST', '/api/posts:create', [1, 2])).statusCode).toBe(400)
  })

  it('drops unknown fields of a collection that is not strict', async () => {
    const res = await call('POST', '/api/loose:create', { name: 'n', whatever: 1 })
    expect(res.statusCode).toBe(200)
    expect(res.json().data).not.toHaveProperty('whatever')
  })

  it('never lets a body set server-owned fields, unless the collection allows it', async () => {
    for (const field of ['id', 'createdAt', 'updatedAt', 'categoryId']) {
      const res = await call('POST', '/api/posts:create', { title: 'x', [field]: field === 'id' || field === 'categoryId' ? 7 : '2000-01-01T00:00:00Z' })
      expect(res.statusCode, field).toBe(400)
      expect(res.json().errors[0].message).toBe(`${field}: is set by the server`)
    }
    expect((await call('POST', '/api/posts:update?filterByTk=1', { id: 9 })).statusCode).toBe(400)
    const allowed = await call('POST', '/api/loose:create', { id: 42, createdAt: '2000-01-01T00:00:00Z', name: 'n' })
    expect(allowed.json().data).toMatchObject({ id: 42, createdAt: '2000-01-01T00:00:00.000Z' })
    expect(await rows('posts')).toBe(0)
  })

  it('stores SQL-injection-shaped values verbatim and refuses such names', async () => {
    const evil = "Robert'); DROP TABLE col_posts; --"
    const res = await call('POST', '/api/posts:create', { title: evil })
    expect(res.json().data.title).toBe(evil)
    expect((await call('GET', `/api/posts:list?filter=${encodeURIComponent(JSON.stringify({ title: evil }))}`)).json().meta.count).toBe(1)
    expect((await call('POST', '/api/posts;DROP:create', { title: 'x' })).statusCode).toBe(404)
    expect((await call('POST', `/api/${encodeURIComponent('posts" --')}:create`, { title: 'x' })).statusCode).toBe(404)
    expect((await call('GET', '/api/posts:list?sort=title;DROP')).statusCode).toBe(400)
    const injectedKey = await call('POST', '/api/posts:create', { 'title" = 1; --': 'x', title: 'y' })
    expect(injectedKey.statusCode).toBe(400)
    expect(await rows('posts')).toBe(1)
  })

  it('accepts the token as ?token= too', async () => {
    const res = await hf.app.inject({ method: 'GET', url: `/api/posts:list?token=${EDITOR}` })
    expect(res.statusCode).toBe(200)
  })

  it('checks token, then collection, then role, then body', async () => {
    const noToken = await call('POST', '/api/ghosts:create', '{bad', {})
    expect(noToken.statusCode).toBe(401)
    expect(noToken.json()).toEqual({ errors: [{ message: expect.stringMatching(/missing or invalid token/) }] })
    expect((await call('POST', '/api/ghosts:create', { title: 'x' })).statusCode).toBe(404)
    const wrongRole = await call('POST', '/api/posts:create', { title: 'x' }, member)
    expect(wrongRole.statusCode).toBe(403)
    expect(wrongRole.json()).toEqual({ errors: [{ message: 'role "member" may not create posts' }] })
    const foreignRole = await call('GET', '/api/posts:list', undefined, { ...member, 'x-role': 'editor' })
    expect(foreignRole.statusCode).toBe(403)
    // Allowed caller, bad body: only now the body is judged.
    expect((await call('POST', '/api/posts:create', { views: 1 })).statusCode).toBe(400)
  })

  it('uses the user’s first role when X-Role is absent, and the named one when allowed', async () => {
    expect((await call('POST', '/api/tags:create', { name: 'a' })).statusCode).toBe(200)
    expect((await call('POST', '/api/tags:create', { name: 'b' }, { ...editor, 'x-role': 'member' })).statusCode).toBe(403)
  })

  it('needs POST for writes', async () => {
    expect((await call('GET', '/api/posts:create')).statusCode).toBe(405)
  })
})
