import { hookflow, hookflowPostgres } from '../targets.js'
import { intakeLoad } from './async-intake.js'
import type { BenchCase } from './bench-case.js'

/**
 * Case 8: case 3's intake and drain with the run queue on PostgreSQL, one instance and three on
 * one database, against the same server on SQLite in the same run.
 */
export const asyncIntakePostgres: BenchCase = {
  id: 8,
  name: 'async-intake-postgres',
  title: 'Case 8: async intake and drain on PostgreSQL, 1 and 3 instances',
  about: 'Case 3\'s `POST /api/webrequest/intake?async=true` (one `set`, `queue.concurrency` 16 per instance) on ' +
    'SQLite (case 3\'s hookflow row, the reference) and on PostgreSQL: a cluster the bench starts for this case ' +
    '(durable: fsync, synchronous_commit and full_page_writes on), a fresh database per row. The 3-instance row is ' +
    'three server processes on one database, on three ports; one autocannon spreads the connections over them ' +
    'round-robin, so req/s is their total and p50/p99 come from one histogram over all requests. RSS is the sum ' +
    'over every hookflow process (PostgreSQL\'s memory is not in it); CPU cores include PostgreSQL\'s processes. ' +
    'The drain ends when the database holds no queued or running run, whichever instance took it.',
  ratioTo: 'reference',
  drains: true,
  rows: [
    { id: 'hookflow-sqlite', label: 'hookflow async intake, SQLite', target: hookflow, reference: 'SQLite', load: intakeLoad },
    { id: 'hookflow-pg-1', label: 'hookflow async intake, PostgreSQL, 1 instance', target: hookflowPostgres(1), load: intakeLoad },
    { id: 'hookflow-pg-3', label: 'hookflow async intake, PostgreSQL, 3 instances', target: hookflowPostgres(3), load: intakeLoad }
  ]
}
