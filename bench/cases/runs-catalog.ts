import { catalogEndpoint, CATALOG_ROWS } from '../catalog-1m.js'
import { httpLoad, type HttpExpectation } from '../load-http.js'
import { b1, hookflow1m } from '../targets.js'
import type { BenchCase } from './bench-case.js'

const admin = { authorization: 'Bearer bench-admin-token-0123456789' }
const endpoint = catalogEndpoint(3)
const firstPage = `/api/runs?status=succeeded&endpoint=${endpoint}&limit=50`
/** Ids of hist-3 end in 3; a cursor half-way down the catalog. */
const deepPage = `${firstPage}&cursor=${CATALOG_ROWS / 2}`

const fullPage: HttpExpectation = {
  status: 200,
  check: (reply) => {
    const page = reply as { data?: Array<{ endpoint?: unknown, status?: unknown }>, nextCursor?: unknown }
    if (!Array.isArray(page.data) || page.data.length !== 50) return `expected 50 runs, got ${Array.isArray(page.data) ? page.data.length : 'no data'}`
    if (page.data.some((run) => run.endpoint !== endpoint || run.status !== 'succeeded')) return 'a run outside the filter'
    return typeof page.nextCursor === 'string' ? undefined : 'no nextCursor'
  }
}

/** Case 7: the admin API's filtered run list, on a catalog of 1 000 000 runs. */
export const runsCatalog: BenchCase = {
  id: 7,
  name: 'runs-list-1m',
  title: 'Case 7: `GET /api/runs` filtered, 1 000 000 runs in the catalog',
  about: `\`GET ${firstPage}\` with an admin bearer token, newest first, on a catalog of ${CATALOG_ROWS} finished runs ` +
    `(10 endpoints, so about ${CATALOG_ROWS / 10} match), inserted directly into \`runs\` before the server started. ` +
    'The deep page passes a cursor half-way down the catalog. Latency per page is read at 50 connections (queueing ' +
    'included) and at 1 connection (the time one page takes). B1 answers a fixed JSON reply to the same GET.',
  ratioTo: 'b1',
  drains: false,
  rows: [
    { id: 'b1', label: 'B1 bare Fastify 5 (GET)', target: b1, baseline: 'b1', load: httpLoad({ method: 'GET', path: firstPage }) },
    { id: 'first-page', label: 'hookflow first page', target: hookflow1m, load: httpLoad({ method: 'GET', path: firstPage, headers: admin }, fullPage) },
    { id: 'deep-page', label: 'hookflow page at cursor 500000', target: hookflow1m, load: httpLoad({ method: 'GET', path: deepPage, headers: admin }, fullPage) },
    { id: 'first-page-1-connection', label: 'hookflow first page, 1 connection', target: hookflow1m, load: httpLoad({ method: 'GET', path: firstPage, headers: admin }, fullPage), connections: 1 }
  ]
}
