import type { CollectionModel } from '../collections/model.js'
import type { RunError, Vars } from '../runner/types.js'
import type { FinishedRun, NewRun, Run, RunFilter, RunEnding, RunStatus, RunSummary } from '../runs/types.js'

/*
 * The storage contract. SQLite (embedded, one process) and PostgreSQL (shared by N instances)
 * implement it; nothing above src/storage knows which one it talks to.
 */

export interface RunStatusView {
  id: number
  status: RunStatus
  output: Vars | null
  error: RunError | null
  statusKeyHash: string | null
}

/**
 * A run of a list page as the parts of its API JSON: `head` is presentRun's JSON up to `error`
 * (closing brace included); writeRunPage appends the times and the duration. A tuple, as SQLite
 * hands rows over: a page builds no object per run.
 */
export type RunJsonRow = [id: number, head: string, createdAt: number, startedAt: number | null, finishedAt: number | null]

/** The run catalog. Writes go through group commit. */
export interface RunStore {
  /** A fresh run id. Ids ascend with arrival within one process; rows may be written later. */
  allocateId: () => Promise<number>
  /** Resolves once the run is committed: only then may its caller be acknowledged. */
  enqueue: (run: NewRun) => Promise<void>
  /** Records a run that already ended (sync history). */
  record: (run: FinishedRun) => Promise<void>
  finish: (id: number, result: RunEnding) => Promise<void>
  get: (id: number) => Promise<Run | undefined>
  list: (filter: RunFilter) => Promise<RunSummary[]>
  /** `list`, each run as the parts of the JSON the API shows (presentRun's shape, key for key). */
  listJson: (filter: RunFilter) => Promise<RunJsonRow[]>
  /** What the caller's status URL may reveal, plus the key hash to check against. */
  statusView: (id: number) => Promise<RunStatusView | undefined>
  /** Runs of one entry point since `since` (epoch ms), counted by status. */
  countsByStatus: (kind: string, endpoint: string, since: number) => Promise<Record<string, number>>
  /** Deletes up to `batch` finished runs created before `cutoff`; returns how many. */
  pruneFinishedBefore: (cutoff: number, batch: number) => Promise<number>
  /** Deletes up to `batch` of the oldest finished runs beyond the newest `keep`. */
  pruneFinishedBeyond: (keep: number, batch: number) => Promise<number>
  /** Commits whatever waits in the group-commit lanes. */
  flush: () => Promise<void>
}

export interface ClaimedRun extends Run {
  maxAttempts: number
  backoffMs: number
  maxBackoffMs: number
}

/** An entry point whose runs are at their `maxConcurrent`: claims skip its runs for now. */
export interface Saturated { kind: string, endpoint: string | null }

/** The run queue: claims under leases, so a run held by a dead process is claimed again. */
export interface QueueStore {
  /** Takes up to `limit` due runs for this process, leased until `leaseUntil`. */
  claim: (now: number, leaseUntil: number, limit: number, saturated?: Saturated[]) => Promise<ClaimedRun[]>
  /** Extends the leases of runs still executing here; returns those another instance asked to cancel. */
  renew: (ids: number[], leaseUntil: number) => Promise<number[]>
  /** A failed attempt with attempts left: back to the queue, due at `availableAt`. */
  retryLater: (id: number, availableAt: number, error: RunError, steps: unknown) => Promise<void>
  /** Hands an unfinished run back to the queue (shutdown), to run again from the start. */
  release: (id: number) => Promise<void>
  /**
   * At start: runs a previous process left running are queued again. Only the embedded store can
   * know they are orphans; a shared store leaves them to their leases.
   */
  releaseAll: () => Promise<number>
  /** Cancels a run that is queued, or running under a lease nobody renews; false otherwise. */
  cancelWaiting: (id: number, now: number, reason: RunError) => Promise<boolean>
  /**
   * Asks whichever instance runs `id` under a live lease to stop it (it sees the request when it
   * next renews). False when no instance holds it, or when only this process can (embedded store).
   */
  requestCancel: (id: number, now: number) => Promise<boolean>
  depth: () => Promise<number>
  oldestQueuedAt: () => Promise<number | null>
  status: (id: number) => Promise<string | undefined>
}

/** An entry point as the registry holds it; `settings` carries what only its dialect reads. */
export interface Endpoint {
  kind: string
  slug: string
  title: string | null
  scenario: string
  enabled: boolean
  timeoutMs: number
  settings: Record<string, unknown>
}

export interface EndpointStore {
  /** Makes the registry exactly `endpoints`, in one transaction. */
  replaceAll: (endpoints: Endpoint[]) => Promise<void>
  /** Served from this process's snapshot: an instance answers for the config it loaded. */
  find: (kind: string, slug: string) => Endpoint | undefined
  list: () => Promise<Endpoint[]>
}

export interface IdempotencyKey {
  kind: string
  endpoint: string
  key: string
}

export interface IdempotencyStore {
  /**
   * Claims `key` for `runId` (and inserts `run`, if given, in the same transaction), or returns
   * the run id that already holds it.
   */
  claim: (key: IdempotencyKey, runId: number, ttlMs: number, run?: NewRun) => Promise<number | undefined>
  pruneExpired: (batch: number) => Promise<number>
}

export interface AuditEntry {
  id: number
  at: string
  actor: string
  role: string
  action: string
  target: string | null
  detail: unknown
}

export interface AuditStore {
  record: (entry: { actor: string, role: string, action: string, target?: string, detail?: unknown }) => Promise<void>
  /** Newest first, below `beforeId` when given. */
  list: (limit: number, beforeId?: number) => Promise<AuditEntry[]>
}

export interface ConsoleSession {
  tokenDigest: string
  /** Sent back in every form of the console and checked on each POST. */
  csrf: string
  expiresAt: number
}

export interface ConsoleSessionStore {
  /** A new session; the id returned is the cookie's value and is stored only as a hash. */
  create: (tokenDigest: string, ttlMs: number) => Promise<{ id: string, session: ConsoleSession }>
  find: (id: string) => Promise<ConsoleSession | undefined>
  end: (id: string) => Promise<void>
}

export type CollectionRecord = Record<string, unknown>

export interface ListQuery {
  /** Equality on columns; `null` matches NULL. */
  filter?: Record<string, unknown>
  /** A column, `-column` for descending. */
  sort?: string
  page: number
  pageSize: number
}

/** A value now (SQLite answers synchronously) or later (PostgreSQL). */
export type Awaitable<T> = T | Promise<T>

/** What one collection transaction may do: row operations, and queue the runs they trigger. */
export interface CollectionTx {
  insert: (model: CollectionModel, values: CollectionRecord) => Awaitable<CollectionRecord>
  update: (model: CollectionModel, id: number, values: CollectionRecord) => Awaitable<CollectionRecord | undefined>
  get: (model: CollectionModel, id: number) => Awaitable<CollectionRecord | undefined>
  list: (model: CollectionModel, query: ListQuery) => Awaitable<{ rows: CollectionRecord[], count: number }>
  destroy: (model: CollectionModel, id: number) => Awaitable<CollectionRecord | undefined>
  insertRun: (run: NewRun) => Awaitable<void>
}

/**
 * Transaction work written once for both stores, as a generator: it yields each operation's
 * (possibly pending) result and receives the value. SQLite drives it synchronously inside one
 * transaction, so no other write can slip in between; PostgreSQL awaits each step on one client.
 */
export type TxWork<T> = Generator<unknown, T, unknown>

export interface CollectionStore {
  /** Runs `work` in one transaction: all of its writes land, or none. */
  atomically: <T>(work: (tx: CollectionTx) => TxWork<T>) => Promise<T>
  /** Brings the collection tables in line with the config (added, never dropped). */
  syncTables: (models: ReadonlyMap<string, CollectionModel>) => Promise<void>
}

/** One-time ids for signed remote events; shared by every instance on a shared store. */
export interface RandStore {
  /** A fresh id, or undefined when too many are outstanding. */
  issue: () => Promise<string | undefined>
  /** Uses the id up; true only if it was issued, unused and unexpired. One caller can win. */
  consume: (rand: string) => Promise<boolean>
}
