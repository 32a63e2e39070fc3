import { httpLoad, type HttpRequestSpec } from '../load-http.js'
import { b1, hookflow, hookflowMainThread } from '../targets.js'
import type { BenchCase } from './bench-case.js'

export const echoBody = { order: 42, items: [1, 2, 3] }
const post = (path: string): HttpRequestSpec =>
  ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(echoBody) })
const echoReply = { status: 200, body: { ok: true, got: echoBody }, headers: ['x-run-id'] }

/** Case 1's request to hookflow: also the load of case 6. */
export const echoRequest = post('/api/webrequest/echo')
export const echoLoad = httpLoad(echoRequest, echoReply)
/** B1 answers any POST with the same reply bytes. */
export const b1Load = httpLoad(post('/b1'))

/** Case 1: a sync web request whose scenario is one `set` of `$body` from the request. */
export const syncSetBody: BenchCase = {
  id: 1,
  name: 'sync-set-body',
  title: 'Case 1: sync web request, one `set` of `$body`',
  about: '`POST /api/webrequest/echo` with `{"order":42,"items":[1,2,3]}`; the scenario is one `set` of `$body`. ' +
    'History `all` (the default: every run recorded in the catalog) and `none` (endpoint `echo-no-history`); ' +
    'the main-thread row is the same endpoint with `runner.evaluateOn: "main-thread"`.',
  ratioTo: 'b1',
  drains: false,
  rows: [
    { id: 'b1', label: 'B1 bare Fastify 5', target: b1, baseline: 'b1', load: b1Load },
    { id: 'hookflow-history-all', label: 'hookflow, history all', target: hookflow, load: echoLoad },
    { id: 'hookflow-history-none', label: 'hookflow, history none', target: hookflow, load: httpLoad(post('/api/webrequest/echo-no-history'), echoReply) },
    { id: 'hookflow-main-thread', label: 'hookflow main-thread, history all', target: hookflowMainThread, load: echoLoad }
  ]
}
