/** An error whose message is meant for the HTTP caller. */
export class HttpError extends Error {
  readonly status: number
  readonly extra?: Record<string, unknown>

  constructor (status: number, message: string, options?: { cause?: unknown, extra?: Record<string, unknown> }) {
    super(message, { cause: options?.cause })
    this.name = 'HttpError'
    this.status = status
    this.extra = options?.extra
  }
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
