// The run queue's tests, again, on PostgreSQL (see webrequest.test.ts). The one that makes
// SQLite refuse writes with query_only runs on SQLite only.
import { useBackend } from '../helpers.js'

useBackend('postgres')
await import('../queue/queue.test.js')
