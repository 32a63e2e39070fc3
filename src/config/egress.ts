import { z } from 'zod'

const UrlPattern = z.string().min(1).superRefine((pattern, ctx) => {
  try {
    new RegExp(pattern) // eslint-disable-line no-new
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` })
  }
})

/** Outbound HTTP from scenarios: denied unless the URL fully matches an `allow` pattern. */
export const EgressConfig = z.object({
  /** Regular expressions matched against the whole normalised URL (they are anchored for you). */
  allow: z.array(UrlPattern).default([]),
  /** Default time limit of one outbound call; an `http` step may set its own. */
  timeoutMs: z.number().int().positive().max(60_000).default(10_000),
  /** Replies larger than this fail the step. */
  maxResponseBytes: z.number().int().positive().default(10 * 1024 * 1024)
}).strict()

export type EgressConfig = z.infer<typeof EgressConfig>
