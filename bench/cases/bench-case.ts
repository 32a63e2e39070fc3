import type { RunningServer } from '../server-process.js'
import type { Target } from '../targets.js'

/** What one measured run of a load driver gives: the same shape for autocannon and the bench's own loops. */
export interface LoadResult {
  /** Operations per second: requests for autocannon, chained request pairs for the signed-event loop. */
  perSec: number
  p50Ms: number
  p99Ms: number
  /** Operations completed, whatever their status. */
  completed: number
  non2xx: number
  errors: number
  timeouts: number
}

export interface LoadDriver {
  /** `req` for one HTTP request, `op` for a chained operation (case 4: randid + sign + post). */
  unit: 'req' | 'op'
  /**
   * `baseUrls`: one per instance of the target (one for a single server); `connections` are
   * spread over them and the result covers all of them.
   */
  run: (baseUrls: string[], connections: number, durationSec: number) => Promise<LoadResult>
  /**
   * One operation before any measurement; throws when the answer is not the expected one. A
   * misconfigured endpoint answers fast errors, and a benchmark of 404s would look splendid.
   */
  verify: (baseUrl: string) => Promise<void>
}

/** Work kept up beside a row's load, during its warm-up and its measured part (case 6's spinning script). */
export interface Disturbance {
  start: (server: RunningServer) => { stop: () => Promise<DisturbanceFigures> }
}

export interface DisturbanceFigures {
  /** Requests the disturbance completed, by status ("error" for a failed request). */
  byStatus: Record<string, number>
}

/** One line of a case's table: a target driven in one way. */
export interface CaseRow {
  /** Stable id: the key in bench/results.json. */
  id: string
  label: string
  target: Target
  load: LoadDriver
  /** This row is the case's B1 or B2, the reference the other rows' req/s are divided by. */
  baseline?: 'b1' | 'b2'
  /**
   * This row is the case's own reference (case 8: hookflow on SQLite), the one its other rows are
   * compared with, under this short name ("SQLite": the table's "ratio to SQLite").
   */
  reference?: string
  /** Overrides the bench's connection count (case 7's one-connection row). */
  connections?: number
  disturbance?: Disturbance
}

export interface BenchCase {
  /** The case's number in the spec; `--cases 1,3` selects by it. */
  id: number
  /** Stable id: the key in bench/results.json. */
  name: string
  title: string
  /** What it measures, printed above its table and kept in the results. */
  about: string
  rows: CaseRow[]
  /** The ratio the spec quotes for this case: to B1, or to B2 for durable intake, or to its reference row. */
  ratioTo: 'b1' | 'b2' | 'reference'
  /**
   * The rows start async runs: after each warm-up and each measured part, the bench waits until
   * no run is queued or running, and times the drain after the measured part.
   */
  drains: boolean
  /**
   * Before each row the bench waits until the servers of every row are idle (at most 30 s): for
   * peers that keep working after they answered.
   */
  settles?: boolean
}
