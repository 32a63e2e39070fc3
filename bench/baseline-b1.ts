import Fastify from 'fastify'

/**
 * Baseline B1: a bare Fastify 5 app that parses the JSON POST and answers a fixed JSON reply.
 * It is what hookflow would cost with no scenario, no storage and no plugins, so the ratio to it
 * says how much of the machine hookflow's own work takes. Run as its own process, like hookflow.
 */

// Same bytes on the wire as case 1's reply, so the difference measured is work, not payload size.
const REPLY = { ok: true, got: { order: 42, items: [1, 2, 3] } }

const app = Fastify({ logger: false })
app.post('/*', async () => REPLY)
// GETs too (case 7's page, case 4's randid in the two-request loop): the same fixed reply.
app.get('/*', async () => REPLY)
app.get('/readyz', async () => ({ status: 'ready' }))

const port = Number(process.env.B1_PORT ?? 0)
const address = await app.listen({ host: '127.0.0.1', port })
process.stdout.write(`b1 listening on ${address}\n`)

process.on('SIGTERM', () => {
  app.close().then(() => process.exit(0), () => process.exit(1))
})
