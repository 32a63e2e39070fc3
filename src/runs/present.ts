import { isoTime } from './iso-time.js'
import type { Run, RunSummary } from './types.js'

const iso = (ms: number | null): string | null => ms === null ? null : isoTime(ms)

/** A run as the API shows it: ISO times and a duration. */
export function presentRun<T extends RunSummary | Run> (run: T) {
  return {
    ...run,
    createdAt: iso(run.createdAt),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationMs: run.startedAt !== null && run.finishedAt !== null ? run.finishedAt - run.startedAt : null
  }
}

/** Runs as the JSON the API shows them, for a list page assembled from JSON strings. */
export const presentedJson = (runs: RunSummary[]): Array<{ id: number, json: string }> =>
  runs.map((run) => ({ id: run.id, json: JSON.stringify(presentRun(run)) }))
