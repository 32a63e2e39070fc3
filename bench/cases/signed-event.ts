import { httpLoad } from '../load-http.js'
import { signedEventLoad, type SignedEvent } from '../load-signed-event.js'
import { b1, b2, hookflow } from '../targets.js'
import type { BenchCase } from './bench-case.js'
import { b1Load } from './sync-set-body.js'

/** As in bench/config.json, whose `server.localNetworks: []` makes the loopback caller remote. */
const event: SignedEvent = { name: 'bench-event', data: JSON.stringify({ order: 42, items: [1, 2, 3] }), token: 'bench-event-token-0123456789' }

/** Case 4: a signed remote event — GET /api/randid, sign, POST /api/event — counted as one operation. */
export const signedEvent: BenchCase = {
  id: 4,
  name: 'signed-event',
  title: 'Case 4: signed remote event (randid + sign + post = one operation)',
  about: 'A closed loop of its own (undici, one pool of 50 sockets, 50 loops): `GET /api/randid`, ' +
    'sign = sha256 hex of name + data + rand + token, `POST /api/event` as JSON; one operation is both requests, ' +
    'and its latency runs from the first request to the second reply. The event starts an async run (one `set`), ' +
    'drained by the queue. The B1 and B2 rows are autocannon on their plain JSON POST, as in cases 1 and 3; the ' +
    '"B1, same loop" row runs the very same two-request loop against B1, the ceiling of this load generator.',
  ratioTo: 'b1',
  drains: true,
  rows: [
    { id: 'b1', label: 'B1 bare Fastify 5', target: b1, baseline: 'b1', load: b1Load },
    { id: 'b2', label: 'B2 Fastify 5 + SQLite insert', target: b2, baseline: 'b2', load: httpLoad({ method: 'POST', path: '/b2', headers: { 'content-type': 'application/json' }, body: event.data }) },
    { id: 'b1-two-request-loop', label: 'B1, same two-request loop', target: b1, load: signedEventLoad(event, false) },
    { id: 'hookflow', label: 'hookflow signed event', target: hookflow, load: signedEventLoad(event, true) }
  ]
}
