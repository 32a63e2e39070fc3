/** An error whose message is meant for the HTTP caller. */
export class HttpError extends Error {
  readonly status: number
  readonly extra?: Record<string, unknown>
  readonly headers?: Record<string, string>

  constructor (status: number, message: string, options?: { cause?: unknown, extra?: Record<string, unknown>, headers?: Record<string, string> }) {
    super(message, { cause: options?.cause })
    this.name = 'HttpError'
    this.status = status
    this.extra = options?.extra
    this.headers = options?.headers
  }
}

/**
 * Database answers that mean "nothing was stored": the caller may retry later, never a 2xx.
 * SQLite's busy/full/read-only codes; PostgreSQL's SQLSTATE classes for a lost connection (08),
 * exhausted resources (53), an operator shutdown (57P), a read-only server (25006) and a
 * transaction to retry (40001, 40P01); the socket errors of a server that cannot be reached.
 */
const STORAGE_UNAVAILABLE = /^(SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CANTOPEN|PROTOCOL)\w*|08...|53...|57P..|25006|40001|40P01|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/
/** node-postgres says these without a code. */
const POOL_UNAVAILABLE = /^(timeout exceeded when trying to connect|Connection terminated)/

/** A storage failure as the 503 the caller gets for it, or undefined for any other error. */
export function storageUnavailable (err: unknown): HttpError | undefined {
  const { code, message } = (err ?? {}) as { code?: unknown, message?: unknown }
  const known = typeof code === 'string' && STORAGE_UNAVAILABLE.test(code)
    ? code
    : typeof message === 'string' && POOL_UNAVAILABLE.test(message) ? 'database unreachable' : undefined
  if (known === undefined) return undefined
  return new HttpError(503, `storage unavailable (${known}): nothing was stored, try again later`, { headers: { 'retry-after': '5' }, cause: err })
}

/** Turns anything thrown into an Error without losing its message. */
export function toError (thrown: unknown): Error {
  if (thrown instanceof Error) return thrown
  if (typeof thrown === 'string') return new Error(thrown)
  // JSONata throws plain objects: { code, message, position, … }.
  const candidate = thrown as { message?: unknown, code?: unknown } | null
  if (candidate !== null && typeof candidate === 'object' && typeof candidate.message === 'string') {
    return new Error(typeof candidate.code === 'string' ? `${candidate.message} (${candidate.code})` : candidate.message)
  }
  try {
    return new Error(JSON.stringify(thrown))
  } catch {
    return new Error(String(thrown))
  }
}
