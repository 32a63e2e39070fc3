import { httpLoad, type HttpRequestSpec } from '../load-http.js'
import { b1, b2, hookflow, hookflow1m } from '../targets.js'
import type { BenchCase } from './bench-case.js'
import { b1Load } from './sync-set-body.js'

const body = JSON.stringify({ order: 42, items: [1, 2, 3] })
const json = { 'content-type': 'application/json' }
const intake: HttpRequestSpec = { method: 'POST', path: '/api/webrequest/intake?async=true', headers: json, body }
/** Committed as queued before the reply: an empty 200 with the run id and its status URL. */
const acknowledged = { status: 200, body: '', headers: ['x-run-id', 'x-run-status'] }
/** hookflow's durable async intake: also the load of case 8. */
export const intakeLoad = httpLoad(intake, acknowledged)

/** Case 3: durable async intake, and the time the queue takes to drain what it built. */
export const asyncIntake: BenchCase = {
  id: 3,
  name: 'async-intake',
  title: 'Case 3: async intake (`?async=true`, durable) and queue drain',
  about: '`POST /api/webrequest/intake?async=true`: each run is committed to SQLite as queued before the empty 200; ' +
    'its scenario is one `set`, executed by the queue (`queue.concurrency` 16). B2 inserts each request into SQLite ' +
    '(WAL, synchronous=NORMAL) before replying. The 1M row is the same server on a catalog that already holds ' +
    '1 000 000 finished runs.',
  ratioTo: 'b2',
  drains: true,
  rows: [
    { id: 'b1', label: 'B1 bare Fastify 5', target: b1, baseline: 'b1', load: b1Load },
    { id: 'b2', label: 'B2 Fastify 5 + SQLite insert', target: b2, baseline: 'b2', load: httpLoad({ ...intake, path: '/b2' }, { status: 200, headers: ['x-run-id'] }) },
    { id: 'hookflow', label: 'hookflow async intake, empty catalog', target: hookflow, load: intakeLoad },
    { id: 'hookflow-1m', label: 'hookflow async intake, 1M-run catalog', target: hookflow1m, load: intakeLoad }
  ]
}
