import Database from 'better-sqlite3'
import Fastify from 'fastify'

/**
 * Baseline B2, the naive durable intake: a bare Fastify 5 app that inserts each request into
 * SQLite (WAL, synchronous=NORMAL) before replying, one insert — so one transaction — per request.
 * What it stores is what an async intake must keep to run the work later: the headers and the
 * body. It answers like hookflow's async intake: an empty 200 carrying the row id.
 */

const db = new Database(process.env.B2_DB ?? ':memory:')
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.exec(`CREATE TABLE IF NOT EXISTS intake (
  id          INTEGER PRIMARY KEY,
  path        TEXT    NOT NULL,
  headers     TEXT    NOT NULL,
  body        TEXT,
  received_at INTEGER NOT NULL
)`)
const insert = db.prepare('INSERT INTO intake (path, headers, body, received_at) VALUES (?, ?, ?, ?)')

const app = Fastify({ logger: false })
app.post('/*', async (request, reply) => {
  const { lastInsertRowid } = insert.run(request.url, JSON.stringify(request.headers), JSON.stringify(request.body), Date.now())
  return await reply.header('x-run-id', String(lastInsertRowid)).send()
})
app.get('/readyz', async () => ({ status: 'ready' }))

const port = Number(process.env.B2_PORT ?? 0)
const address = await app.listen({ host: '127.0.0.1', port })
process.stdout.write(`b2 listening on ${address}\n`)

process.on('SIGTERM', () => {
  app.close().then(() => { db.close(); process.exit(0) }, () => process.exit(1))
})
