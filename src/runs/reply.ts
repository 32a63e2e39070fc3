import { validateHeaderName, validateHeaderValue } from 'node:http'
import type { RunOutcome } from '../runner/run-scenario.js'
import type { RunError, Vars } from '../runner/types.js'

/** What an HTTP caller receives for a run. */
export interface ScenarioReply {
  status: number
  headers: Record<string, string | string[]>
  /** JSON-able value; a string is sent as is, null/undefined as an empty body. */
  body: unknown
}

/** Framing is ours to decide; a scenario may not set these. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'x-request-id'])

export class InvalidReplyError extends Error {}

function replyHeaders (value: unknown): Record<string, string | string[]> {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidReplyError('$headers must be an object')
  const headers: Record<string, string | string[]> = {}
  for (const [name, raw] of Object.entries(value)) {
    if (raw === undefined || raw === null) continue
    const lower = name.toLowerCase()
    if (FRAMING_HEADERS.has(lower)) throw new InvalidReplyError(`$headers may not set ${name}`)
    const headerValue = Array.isArray(raw) ? raw.map(String) : String(raw)
    try {
      validateHeaderName(name)
      for (const item of Array.isArray(headerValue) ? headerValue : [headerValue]) validateHeaderValue(name, item)
    } catch {
      throw new InvalidReplyError(`$headers has an invalid header: ${JSON.stringify(name)}`)
    }
    headers[lower] = headerValue
  }
  return headers
}

/** The reply a scenario's output variables describe. */
export function replyFromOutput (vars: Vars): ScenarioReply {
  const status = vars.$status ?? 200
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new InvalidReplyError(`$status must be an integer from 200 to 599, got ${JSON.stringify(status)}`)
  }
  return { status, headers: replyHeaders(vars.$headers), body: vars.$body ?? null }
}

/** The output variables worth keeping on the run. */
export function outputOf (vars: Vars): Vars {
  const output: Vars = {}
  for (const name of ['$status', '$headers', '$body']) if (vars[name] !== undefined) output[name] = vars[name]
  return output
}

const errorReply = (status: number, message: string, runId: number): ScenarioReply =>
  ({ status, headers: {}, body: { error: message, runId } })

/** The reply for a finished run, as the sync caller gets it and the status URL shows it. */
export function replyForRun (runId: number, status: string, output: Vars | null, error: RunError | null): ScenarioReply | null {
  switch (status) {
    case 'succeeded':
      try {
        return replyFromOutput(output ?? {})
      } catch (err) {
        return errorReply(500, (err as Error).message, runId)
      }
    case 'failed':
      if (error?.reply !== undefined) {
        // A `fail` step chose what the caller gets.
        return { status: error.reply.status ?? 500, headers: {}, body: error.reply.body ?? { error: error.message, runId } }
      }
      return errorReply(500, error?.message ?? 'scenario failed', runId)
    case 'timed_out': return errorReply(504, 'scenario timed out', runId)
    case 'dead': return errorReply(500, error?.message ?? 'run gave up after its retries', runId)
    case 'cancelled': return errorReply(409, 'run was cancelled', runId)
    default: return null
  }
}

/** Checks the reply of a succeeded outcome; an invalid one turns the run into a failure. */
export function checkOutcome (outcome: RunOutcome): RunOutcome {
  if (outcome.status !== 'succeeded') return outcome
  try {
    replyFromOutput(outcome.vars)
    return outcome
  } catch (err) {
    return { ...outcome, status: 'failed', error: { message: `invalid reply: ${(err as Error).message}` } }
  }
}
