// The web-request dialect's tests, again, on PostgreSQL: the same files, imported after the
// backend is switched, so every app they build and every query they make uses PostgreSQL.
import { useBackend } from '../helpers.js'

useBackend('postgres')
await import('../dialects/webrequest/sync.test.js')
await import('../dialects/webrequest/async.test.js')
await import('../dialects/webrequest/bodies.test.js')
await import('../dialects/webrequest/cors.test.js')
await import('../dialects/webrequest/history.test.js')
await import('../dialects/webrequest/inbound.test.js')
await import('../dialects/webrequest/on-timeout.test.js')
await import('../dialects/webrequest/timeout.test.js')
