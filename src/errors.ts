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
  try {
    return new Error(JSON.stringify(thrown))
  } catch {
    return new Error(String(thrown))
  }
}
