import type { FinishedRun, NewRun, Run, RunEnding, RunFilter, RunSummary } from '../runs/types.js'
import type { RunJsonRow, RunStore } from './types.js'
import type { Db } from './db.js'
import { finishRow, RUN_DETAIL_COLUMNS, STATUS_VIEW_COLUMNS, SUMMARY_COLUMNS, toRun, toStatusView, toSummary, type RunRow, type StatusViewRow } from './run-row.js'
import type { HistoryWriter } from './history-writer.js'
import { createWriteBatcher } from './write-batcher.js'
import { keyedRows } from './keyed-rows.js'
import { prepareRunInsert } from './run-insert.js'
import { SUMMARY_JSON_HEAD, TIME_COLUMNS } from './presented-json-sql.js'
import { runListSql } from './run-filter-sql.js'
import { oncePerKey } from '../once-per-key.js'


/**
 * The run catalog. Methods return promises although SQLite answers synchronously, so a
 * networked database can stand behind the same interface. Writes go through group commit.
 */
export type { RunStore } from './types.js'

/** The SQLite catalog also inserts inside a transaction another store has open. */
export interface SqliteRunStore extends RunStore {
  insertWithin: (run: NewRun) => void
  /** Commits what waits and stops the history thread. */
  close: () => Promise<void>
}

export interface RunStoreOptions {
  /** Writes sync run history on a thread of its own (file databases); without it, the lazy lane here. */
  history?: (fallback: (run: FinishedRun) => Promise<void>) => HistoryWriter
}

export function createRunStore (db: Db, options: RunStoreOptions = {}): SqliteRunStore {
  const batcher = createWriteBatcher(db)
  let lastId = (db.prepare('SELECT max(id) FROM runs').pluck().get() as number | null) ?? 0

  const insert = prepareRunInsert(db)
  const recordHere = async (run: FinishedRun): Promise<void> => await batcher.writeLazily(() => insert(run))
  const history = options.history?.(recordHere)
  const finish = db.prepare(`UPDATE runs SET status = @status, input = coalesce(@input, input), output = @output, error = @error,
    steps = @steps, finished_at = @finished_at WHERE id = @id`)
  const byId = db.prepare(`SELECT ${RUN_DETAIL_COLUMNS} FROM runs WHERE id = ?`)
  const FINAL = "('succeeded', 'failed', 'timed_out', 'dead', 'cancelled')"
  // Ids ascend with creation time: the first run created at or after the cut-off bounds the prune.
  const bounds = db.prepare('SELECT min(id) AS low, max(id) AS high FROM runs')
  const createdAtOrAfter = db.prepare('SELECT id, created_at FROM runs WHERE id >= ? ORDER BY id LIMIT 1')
  const countsSince = db.prepare('SELECT status, count(*) AS n FROM runs WHERE endpoint = ? AND kind = ? AND id >= ? GROUP BY status')
  const pruneBelow = db.prepare(`DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE id < ? AND status IN ${FINAL} ORDER BY id LIMIT ?)`)
  /** The smallest id whose run was created at or after `cutoff` (binary search over the primary key). */
  const firstIdFrom = (cutoff: number): number => {
    const { low, high } = bounds.get() as { low: number | null, high: number | null }
    if (low === null || high === null) return 0
    let lo = low
    let hi = high + 1
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      const row = createdAtOrAfter.get(mid) as { id: number, created_at: number } | undefined
      if (row === undefined || row.created_at >= cutoff) hi = mid
      else lo = row.id + 1
    }
    return lo
  }
  const pruneBeyond = db.prepare(`DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE status IN ${FINAL} ORDER BY id DESC LIMIT ? OFFSET ?)`)
  const statusView = db.prepare(`SELECT ${STATUS_VIEW_COLUMNS} FROM runs WHERE id = ?`)
  // One statement per filter combination, prepared on first use.
  const listReader = oncePerKey((sql: string) => keyedRows<RunRow>(db.prepare<unknown[]>(sql)))
  const jsonReader = oncePerKey((sql: string) => db.prepare<unknown[]>(sql).raw(true))

  return {
    /** Ids ascend with arrival; rows may be written later (sync history is batched). */
    allocateId: async (): Promise<number> => ++lastId,

    /** Resolves once the run is committed: only then may its caller be acknowledged. */
    enqueue: async (run: NewRun): Promise<void> => await batcher.write(() => insert(run)),

    /**
     * Inserts a queued run at once, inside a transaction some other store method has open on the
     * same database (a record and the workflow runs it triggers commit together).
     */
    insertWithin: (run: NewRun): void => { insert(run) },

    /** Records a run that already ended (sync history); nobody waits for it. */
    record: (run: FinishedRun): Promise<void> => history?.record(run) ?? recordHere(run),

    finish: async (id: number, result: RunEnding): Promise<void> =>
      await batcher.writeLazily(() => finish.run(finishRow(id, result))),

    get: async (id: number): Promise<Run | undefined> => {
      const row = byId.get(id) as RunRow | undefined
      return row === undefined ? undefined : toRun(row)
    },

    list: async (filter: RunFilter): Promise<RunSummary[]> => {
      const { sql, args } = runListSql(SUMMARY_COLUMNS, filter, () => '?')
      return listReader(sql)(...args).map(toSummary)
    },

    listJson: async (filter: RunFilter): Promise<RunJsonRow[]> => {
      const { sql, args } = runListSql(`id, ${SUMMARY_JSON_HEAD}, ${TIME_COLUMNS}`, filter, () => '?')
      return jsonReader(sql).all(...args) as RunJsonRow[]
    },

    statusView: async (id: number) => {
      const row = statusView.get(id) as StatusViewRow | undefined
      return row === undefined ? undefined : toStatusView(row)
    },

    /** Runs of one entry point since `since` (epoch ms), counted by status. */
    countsByStatus: async (kind: string, endpoint: string, since: number): Promise<Record<string, number>> => {
      const rows = countsSince.all(endpoint, kind, firstIdFrom(since)) as Array<{ status: string, n: number }>
      return Object.fromEntries(rows.map((row) => [row.status, row.n]))
    },

    /** Deletes up to `batch` finished runs created before `cutoff`; returns how many. */
    pruneFinishedBefore: async (cutoff: number, batch: number): Promise<number> => pruneBelow.run(firstIdFrom(cutoff), batch).changes,

    /** Deletes up to `batch` of the oldest finished runs beyond the newest `keep`. */
    pruneFinishedBeyond: async (keep: number, batch: number): Promise<number> => pruneBeyond.run(batch, keep).changes,

    flush: async (): Promise<void> => {
      batcher.flush()
      await history?.flush()
    },

    close: async (): Promise<void> => {
      await history?.close()
      batcher.flush()
    }
  }
}

