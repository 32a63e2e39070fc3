/**
 * A refused or failed outbound call, with the status the proxy answers for it: 403 not allowed,
 * 405 method, 415 content type, 502 upstream broke its contract or the size cap, 504 timeout.
 */
export class EgressError extends Error {
  constructor (readonly status: 403 | 405 | 415 | 502 | 504, message: string, readonly url?: string) {
    super(message)
    this.name = 'EgressError'
  }
}
