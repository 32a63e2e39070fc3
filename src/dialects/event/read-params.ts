import { HttpError } from '../../errors.js'

export interface EventParams {
  name: string
  /** The event's text; a missing `data` is the empty string. */
  data: string
  rand?: string
  sign?: string
}

function optionalText (body: Record<string, unknown>, key: string, what: string): string | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new HttpError(400, `${key} must be ${what}`)
  return value
}

/** The call's parameters, from a form, multipart or JSON body. */
export function readEventParams (body: unknown): EventParams {
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? body as Record<string, unknown> : {}
  const name = optionalText(fields, 'name', 'a string')
  if (name === undefined || name === '') throw new HttpError(400, 'missing name: the event to start')
  // The signature is over text, so anything else cannot be checked.
  const data = optionalText(fields, 'data', 'text (send JSON as a string)') ?? ''
  return { name, data, rand: optionalText(fields, 'rand', 'a string'), sign: optionalText(fields, 'sign', 'a string') }
}
