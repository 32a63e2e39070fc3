import type { z } from 'zod'
import { formatIssues } from '../config/format-issues.js'
import { HttpError } from '../errors.js'

/** Parses request data with a zod schema; a mismatch is the caller's 400, with every problem named. */
export function parseOr400<T extends z.ZodType> (schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value)
  if (!result.success) throw new HttpError(400, `invalid ${what}: ${formatIssues(result.error.issues).join('; ')}`)
  return result.data
}
