import { testConfig } from '../../helpers.js'

export const EDITOR = 'editor-token-0123456789abcdef'
export const MEMBER = 'member-token-0123456789abcdef'

export const editor = { authorization: `Bearer ${EDITOR}` }
export const member = { authorization: `Bearer ${MEMBER}` }

/** posts / categories / tags with workflows of every kind, and two users. */
export function collectionsConfig (extra: Record<string, unknown> = {}) {
  return testConfig({
    scenarios: {
      noted: { steps: [{ set: { $body: { saw: '{% data %}', collection: '{% collection %}', action: '{% action %}', user: '{% user %}', role: '{% role %}', event: '{% event %}' } } }] }
    },
    collections: {
      posts: {
        fields: { title: { type: 'string', required: true }, content: { type: 'text' }, views: { type: 'integer' }, score: { type: 'number' }, published: { type: 'boolean' }, at: { type: 'date' }, meta: { type: 'json' } },
        associations: { category: { type: 'belongsTo', collection: 'categories' }, tags: { type: 'hasMany', collection: 'tags', foreignKey: 'postId' } }
      },
      categories: { fields: { title: { type: 'string', required: true } } },
      tags: { fields: { name: { type: 'string', required: true } } },
      loose: { strict: false, clientWritable: ['id', 'createdAt'], fields: { name: { type: 'string' } } }
    },
    workflows: [
      { key: 'notify', collection: 'posts', on: 'create', scenario: 'noted' },
      { key: 'on-update', collection: 'posts', on: 'update', scenario: 'noted' },
      { key: 'cat', collection: 'categories', on: 'create', scenario: 'noted' },
      { key: 'tagged', collection: 'tags', on: 'create', scenario: 'noted' },
      { key: 'off', collection: 'posts', on: 'create', scenario: 'noted', enabled: false },
      { key: 'every-post', collection: 'posts', on: 'destroy', mode: 'global', scenario: 'noted' }
    ],
    users: [
      { id: '2', token: EDITOR, roles: ['editor', 'member'] },
      { id: '3', token: MEMBER, roles: ['member'] }
    ],
    roles: {
      editor: { posts: ['create', 'update', 'get', 'list', 'destroy'], categories: ['create', 'get', 'list'], tags: ['create', 'list'], loose: ['create', 'get'] },
      member: { posts: ['get', 'list'], categories: ['list'] }
    },
    ...extra
  })
}
