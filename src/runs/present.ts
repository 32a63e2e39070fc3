import type { RunJsonRow } from '../storage/types.js'
import { isoTime } from './iso-time.js'
import type { Run, RunSummary } from './types.js'

/** A time as the API shows it: ISO 8601, or null. */
export const presentTime = (ms: number | null): string | null => ms === null ? null : isoTime(ms)

/** A run's duration as the API shows it: null until it has both started and finished. */
export const durationOf = (startedAt: number | null, finishedAt: number | null): number | null =>
  startedAt !== null && finishedAt !== null ? finishedAt - startedAt : null

/** A run as the API shows it: ISO times and a duration. */
export function presentRun<T extends RunSummary | Run> (run: T) {
  // Object.assign keeps the spread's key order and avoids its cost for the added key ("object spread").
  return Object.assign({}, run, {
    createdAt: presentTime(run.createdAt),
    startedAt: presentTime(run.startedAt),
    finishedAt: presentTime(run.finishedAt),
    durationMs: durationOf(run.startedAt, run.finishedAt)
  })
}

/** Runs as the parts of the JSON the API shows (RunJsonRow), for a list page written by writeRunPage. */
export const presentedRows = (runs: RunSummary[]): RunJsonRow[] =>
  runs.map(({ createdAt, startedAt, finishedAt, ...head }) => [head.id, JSON.stringify(head), createdAt, startedAt, finishedAt])
