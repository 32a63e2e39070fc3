import { z } from 'zod'
import type { RunStore } from '../storage/run-store.js'
import { writeRunPage } from './run-page-body.js'
import { RUN_STATUSES, type RunFilter, type RunSummary } from './types.js'

const Instant = z.union([z.string().regex(/^\d{1,15}$/).transform(Number), z.iso.datetime({ offset: true }).transform((iso) => Date.parse(iso))])

/** Filters and paging of the run catalog, shared by the admin API and the console. */
export const RunListQuery = z.object({
  status: z.enum(RUN_STATUSES).optional(),
  endpoint: z.string().min(1).max(128).optional(),
  scenario: z.string().min(1).max(128).optional(),
  /** Created at or after / before: ISO 8601 or epoch milliseconds. */
  from: Instant.optional(),
  to: Instant.optional(),
  /** Runs emitted by this run. */
  parent: z.coerce.number().int().positive().optional(),
  /** Replays of this run. */
  replayOf: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().regex(/^[1-9]\d{0,15}$/, 'is not a cursor from this API').optional()
}).strict()

export type RunListQuery = z.infer<typeof RunListQuery>

const filterOf = (query: RunListQuery): RunFilter => ({
  status: query.status,
  endpoint: query.endpoint,
  scenario: query.scenario,
  from: query.from,
  to: query.to,
  parentRunId: query.parent,
  replayOf: query.replayOf,
  // One more than asked: whether it exists says whether there is a next page.
  limit: query.limit + 1,
  beforeId: query.cursor === undefined ? undefined : Number(query.cursor)
})

/** `rows` holds one more than `limit` when there is a next page: its cursor is the last shown run's id. */
function pageOf<T> (rows: T[], limit: number, idOf: (row: T) => number): { data: T[], nextCursor: string | null } {
  const data = rows.slice(0, limit)
  return { data, nextCursor: rows.length > limit ? String(idOf(data[data.length - 1])) : null }
}

/** One page, newest first, and the cursor of the next one (null on the last page). */
export async function listRuns (runs: RunStore, query: RunListQuery): Promise<{ data: RunSummary[], nextCursor: string | null }> {
  return pageOf(await runs.list(filterOf(query)), query.limit, (run) => run.id)
}

/** The same page as the API's JSON body, `{data, nextCursor}`, written from each run's JSON parts. */
export async function runListBody (runs: RunStore, query: RunListQuery): Promise<Buffer> {
  const page = pageOf(await runs.listJson(filterOf(query)), query.limit, ([id]) => id)
  return writeRunPage(page.data, page.nextCursor)
}
