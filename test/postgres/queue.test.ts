// The run queue's tests, again, on PostgreSQL (see webrequest.test.ts).
import { useBackend } from '../helpers.js'

useBackend('postgres')
await import('../queue/queue.test.js')
