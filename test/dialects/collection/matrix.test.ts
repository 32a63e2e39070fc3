import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACTIONS } from '../../../src/config/collections.js'
import { buildTestApp, sqlValue, type TestApp } from '../../helpers.js'
import { collectionsConfig, EDITOR, MEMBER } from './fixtures.js'

const config = collectionsConfig()
const roles = config.roles as Record<string, Record<string, string[]>>
const collections = Object.keys(config.collections as object)
const tokenOf: Record<string, string> = { editor: EDITOR, member: MEMBER }

/** A valid request for each action, so a refusal can only come from the role check. */
function requestFor (collection: string, action: string, id: number): { method: 'GET' | 'POST', url: string, payload?: string } {
  const values: Record<string, unknown> = { posts: { title: 't' }, categories: { title: 't' }, tags: { name: 'n' }, loose: { name: 'n' } }
  switch (action) {
    case 'create': return { method: 'POST', url: `/api/${collection}:create`, payload: JSON.stringify(values[collection]) }
    case 'update': return { method: 'POST', url: `/api/${collection}:update?filterByTk=${id}`, payload: JSON.stringify(values[collection]) }
    case 'get': return { method: 'GET', url: `/api/${collection}:get?filterByTk=${id}` }
    case 'list': return { method: 'GET', url: `/api/${collection}:list` }
    default: return { method: 'POST', url: `/api/${collection}:destroy?filterByTk=${id}` }
  }
}

describe('every role × every collection × every action answers as roles says', () => {
  let hf: TestApp
  beforeAll(async () => { hf = await buildTestApp(config) })
  afterAll(async () => { await hf.close() })

  const cases = Object.keys(roles).flatMap((role) => collections.flatMap((collection) => ACTIONS.map((action) => [role, collection, action] as const)))

  it.each(cases)('%s %s:%s', async (role, collection, action) => {
    // A fresh record to act on, written directly so the matrix does not depend on other grants.
    const id = Number(await sqlValue(hf, `INSERT INTO "col_${collection}" ("createdAt", "updatedAt"${collection === 'tags' || collection === 'loose' ? ', name' : ', title'}) VALUES ('x', 'x', 'seed') RETURNING id`))
    const { method, url, payload } = requestFor(collection, action, id)
    const res = await hf.app.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${tokenOf[role]}`, 'x-role': role, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }
    })
    const allowed = (roles[role][collection] ?? []).includes(action)
    if (allowed) {
      expect(res.statusCode, res.body).toBe(200)
    } else {
      expect(res.statusCode).toBe(403)
      expect(res.json()).toEqual({ errors: [{ message: `role "${role}" may not ${action} ${collection}` }] })
    }
  })
})
