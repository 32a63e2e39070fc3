import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Pool } from 'undici'
import type { LoadDriver, LoadResult } from './cases/bench-case.js'
import { percentile } from './stats.js'

export interface SignedEvent {
  name: string
  data: string
  token: string
}

/** The event dialect's signature: lowercase hex SHA-256 of name + data + rand + token. */
export const signEvent = (event: SignedEvent, rand: string): string =>
  createHash('sha256').update(event.name + event.data + rand + event.token).digest('hex')

interface OpOutcome { ok: boolean, reply: unknown }

/** One operation: GET /api/randid, sign, POST /api/event. A non-2xx at either step makes the operation non-2xx. */
async function signedEventOp (pool: Pool, event: SignedEvent): Promise<OpOutcome> {
  const randReply = await pool.request({ path: '/api/randid', method: 'GET' })
  const randBody = await randReply.body.json() as { rand?: unknown }
  if (randReply.statusCode < 200 || randReply.statusCode > 299) return { ok: false, reply: randBody }
  const rand = String(randBody.rand)
  const reply = await pool.request({
    path: '/api/event',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: event.name, data: event.data, rand, sign: signEvent(event, rand) })
  })
  const body = await reply.body.json()
  return { ok: reply.statusCode >= 200 && reply.statusCode <= 299, reply: body }
}

const TIMEOUT_MS = 10_000
const isTimeout = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && 'code' in err &&
  ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'].includes(String(err.code))

/**
 * Case 4's load: autocannon cannot chain requests, so this is a closed loop of its own — one
 * undici pool of `connections` sockets and as many loops, each running operations back to back.
 * An operation's latency runs from the randid request to the event reply. Percentiles are exact
 * (every latency is kept and sorted), not histogram buckets.
 */
export function signedEventLoad (event: SignedEvent, checkReply: boolean): LoadDriver {
  return {
    unit: 'op',
    verify: async (baseUrl) => {
      const pool = new Pool(baseUrl, { connections: 1 })
      try {
        const outcome = await signedEventOp(pool, event)
        const success = typeof outcome.reply === 'object' && outcome.reply !== null && (outcome.reply as { success?: unknown }).success === true
        if (!outcome.ok || (checkReply && !success)) {
          throw new Error(`signed event ${event.name} answered ${JSON.stringify(outcome.reply).slice(0, 300)}; expected {"success":true,…}`)
        }
      } finally {
        await pool.close()
      }
    },
    run: async (baseUrls, connections, durationSec): Promise<LoadResult> => {
      // One undici pool to one server: no case drives a group of instances with this load.
      if (baseUrls.length !== 1) throw new Error(`the signed-event load drives one server, got ${baseUrls.length}`)
      const pool = new Pool(baseUrls[0], { connections, pipelining: 1, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS })
      const latencies: number[] = []
      let non2xx = 0
      let errors = 0
      let timeouts = 0
      const started = performance.now()
      const end = started + durationSec * 1000
      const loop = async (): Promise<void> => {
        while (performance.now() < end) {
          const opStarted = performance.now()
          try {
            const outcome = await signedEventOp(pool, event)
            latencies.push(performance.now() - opStarted)
            if (!outcome.ok) non2xx++
          } catch (err) {
            if (isTimeout(err)) timeouts++
            else errors++
            // A refused connection fails at once: do not spin on it.
            await sleep(10)
          }
        }
      }
      await Promise.all(Array.from({ length: connections }, loop))
      const elapsedSec = (performance.now() - started) / 1000
      await pool.close()
      latencies.sort((a, b) => a - b)
      return {
        perSec: latencies.length / elapsedSec,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        completed: latencies.length,
        non2xx,
        errors,
        timeouts
      }
    }
  }
}
