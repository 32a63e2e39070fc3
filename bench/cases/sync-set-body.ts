import type { BenchCase } from './bench-case.js'

const body = { order: 42, items: [1, 2, 3] }

/** Case 1: a sync web request whose scenario is one `set` of `$body` from the request. */
export const syncSetBody: BenchCase = {
  name: 'sync-set-body',
  title: 'Case 1: sync web request, one `set` of `$body`',
  request: {
    method: 'POST',
    path: '/api/webrequest/echo',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  },
  expect: { status: 200, body: { ok: true, got: body } }
}
