// The event and collection dialects' tests, again, on PostgreSQL (see webrequest.test.ts).
import { useBackend } from '../helpers.js'

useBackend('postgres')
await import('../dialects/event/events.test.js')
await import('../dialects/collection/actions.test.js')
await import('../dialects/collection/matrix.test.js')
await import('../dialects/collection/schema-and-step.test.js')
