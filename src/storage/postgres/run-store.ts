import type { FinishedRun, RunFilter } from '../../runs/types.js'
import { finishRow, json, RUN_COLUMNS, RUN_DETAIL_COLUMNS, runRow, STATUS_VIEW_COLUMNS, SUMMARY_COLUMNS, toRun, toStatusView, toSummary, type RunRow, type StatusViewRow } from '../run-row.js'
import type { RunStore } from '../types.js'
import { presentedRows } from '../../runs/present.js'
import { runListSql } from '../run-filter-sql.js'
import type { PgClient, PgPool } from './pool.js'
import { createPgWriteBatcher } from './write-batcher.js'

const FINAL = "('succeeded', 'failed', 'timed_out', 'dead', 'cancelled')"
/** Ids fetched from the shared sequence at once: one round trip per block, not per request. */
const ID_BLOCK = 64

/** Inserts whole runs, many in one statement. */
export async function insertRuns (client: PgClient, rows: Array<Record<string, unknown>>): Promise<void> {
  if (rows.length === 0) return
  await client.query(`INSERT INTO runs (${RUN_COLUMNS}) SELECT ${RUN_COLUMNS} FROM json_populate_recordset(NULL::runs, $1::json)`, [JSON.stringify(rows)])
}

type RunWrite =
  | { type: 'insert', row: Record<string, unknown> }
  | { type: 'finish', id: number, status: string, input: string | null, output: string | null, error: string | null, steps: string | null, finished_at: number }

/** A batch in two statements at most, in the order a run lives: inserted, then finished. */
async function applyRunWrites (client: PgClient, ops: RunWrite[]): Promise<void> {
  await insertRuns(client, ops.flatMap((op) => op.type === 'insert' ? [op.row] : []))
  const finishes = ops.filter((op) => op.type === 'finish')
  if (finishes.length > 0) {
    await client.query(`UPDATE runs SET status = v.status, input = coalesce(v.input, runs.input), output = v.output, error = v.error,
        steps = v.steps, finished_at = v.finished_at
      FROM json_to_recordset($1::json) AS v(id BIGINT, status TEXT, input TEXT, output TEXT, error TEXT, steps TEXT, finished_at BIGINT)
      WHERE runs.id = v.id`,
    [JSON.stringify(finishes.map(({ type, ...values }) => values))])
  }
}

/** The run catalog on PostgreSQL, shared by every instance. */
export function createPgRunStore (pool: PgPool, relaxedPool = pool): RunStore {
  const batcher = createPgWriteBatcher<RunWrite>(pool, { apply: applyRunWrites, relaxedPool })
  let ids: number[] = []
  let refill: Promise<void> | undefined

  const fetchIds = async (): Promise<void> => {
    const { rows } = await pool.query<{ id: number }>('SELECT nextval(\'runs_id_seq\') AS id FROM generate_series(1, $1)', [ID_BLOCK])
    ids = ids.concat(rows.map((row) => row.id))
  }
  const ensureIds = async (): Promise<void> => {
    refill ??= fetchIds().finally(() => { refill = undefined })
    await refill
  }

  return {
    async allocateId () {
      while (ids.length === 0) await ensureIds()
      // Refill ahead of need, so a steady stream of requests never waits for the sequence.
      if (ids.length < ID_BLOCK / 4) ensureIds().catch(() => {})
      return ids.shift()!
    },
    enqueue: async (run) => await batcher.write({ type: 'insert', row: runRow(run) }),
    record: async (run: FinishedRun) => await batcher.writeLazily({ type: 'insert', row: runRow(run) }),
    finish: async (id, result) => await batcher.writeLazily({ type: 'finish', ...finishRow(id, result) }),

    async get (id) {
      const { rows } = await pool.query<RunRow>(`SELECT ${RUN_DETAIL_COLUMNS} FROM runs WHERE id = $1`, [id])
      return rows.length === 0 ? undefined : toRun(rows[0])
    },

    async list (filter: RunFilter) {
      const { sql, args } = runListSql(SUMMARY_COLUMNS, filter, (n) => `$${n}`)
      const { rows } = await pool.query<RunRow>(sql, args)
      return rows.map(toSummary)
    },

    async listJson (filter: RunFilter) {
      return presentedRows(await this.list(filter))
    },

    async statusView (id) {
      const { rows } = await pool.query<StatusViewRow>(`SELECT ${STATUS_VIEW_COLUMNS} FROM runs WHERE id = $1`, [id])
      return rows.length === 0 ? undefined : toStatusView(rows[0])
    },

    async countsByStatus (kind, endpoint, since) {
      const { rows } = await pool.query<{ status: string, n: number }>(
        'SELECT status, count(*) AS n FROM runs WHERE endpoint = $1 AND kind = $2 AND created_at >= $3 GROUP BY status', [endpoint, kind, since])
      return Object.fromEntries(rows.map((row) => [row.status, row.n]))
    },

    pruneFinishedBefore: async (cutoff, batch) => (await pool.query(
      `DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE created_at < $1 AND status IN ${FINAL} ORDER BY created_at LIMIT $2)`, [cutoff, batch])).rowCount ?? 0,

    pruneFinishedBeyond: async (keep, batch) => (await pool.query(
      `DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE status IN ${FINAL} ORDER BY id DESC LIMIT $1 OFFSET $2)`, [batch, keep])).rowCount ?? 0,

    flush: async () => await batcher.flush()
  }
}
