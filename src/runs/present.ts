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
