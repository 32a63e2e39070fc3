import { z } from 'zod'
import { HttpError } from '../../errors.js'

/** The body's shape, for the OpenAPI document; readEventParams checks it by hand for the dialect's messages. */
export const EventBody = z.object({
  name: z.string().min(1).describe('The event to start'),
  data: z.string().optional().describe('The event\'s text; send JSON as a string'),
  rand: z.string().optional().describe('From GET /api/randid: remote calls only'),
  sign: z.string().optional().describe('sha256 hex of name + data + rand + token: remote calls only')
})

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
