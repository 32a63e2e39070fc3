import { httpLoad } from '../load-http.js'
import { b1, b2, hookflow } from '../targets.js'
import type { BenchCase } from './bench-case.js'
import { b1Load } from './sync-set-body.js'

const body = JSON.stringify({ title: 'bench item', qty: 3 })
const json = { 'content-type': 'application/json' }

/** Case 5: a collection `:create` that triggers a workflow. */
export const collectionCreate: BenchCase = {
  id: 5,
  name: 'collection-create',
  title: 'Case 5: collection `:create` with a triggered workflow',
  about: '`POST /api/items:create?triggerWorkflows=item-created` with a user bearer token whose role may create: ' +
    'the record and the workflow\'s queued run commit in one transaction, then the run (one `set`) is drained by the queue.',
  ratioTo: 'b1',
  drains: true,
  rows: [
    { id: 'b1', label: 'B1 bare Fastify 5', target: b1, baseline: 'b1', load: b1Load },
    { id: 'b2', label: 'B2 Fastify 5 + SQLite insert', target: b2, baseline: 'b2', load: httpLoad({ method: 'POST', path: '/b2', headers: json, body }) },
    {
      id: 'hookflow',
      label: 'hookflow create + workflow',
      target: hookflow,
      load: httpLoad(
        {
          method: 'POST',
          path: '/api/items:create?triggerWorkflows=item-created',
          headers: { ...json, authorization: 'Bearer bench-user-token-0123456789' },
          body
        },
        { status: 200, check: (reply) => (reply as { data?: { title?: unknown } }).data?.title === 'bench item' ? undefined : 'no created record in data' }
      )
    }
  ]
}
