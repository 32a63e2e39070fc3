import { readFileSync } from 'node:fs'
import { z } from 'zod'

type Env = Record<string, string | undefined>
let secretEnv: Env = process.env

/** Resolves `{"env": …}` secrets against `env` while `parse` runs (zod transforms take no arguments). */
export function withSecretEnv<T> (env: Env, parse: () => T): T {
  const previous = secretEnv
  secretEnv = env
  try {
    return parse()
  } finally {
    secretEnv = previous
  }
}

/**
 * A secret is written inline, or as `{"env": "NAME"}` / `{"file": "/run/secrets/x"}` so the
 * config file itself can be committed without it. Resolved once, at load.
 */
export const SecretConfig = z.union([
  z.string().min(1),
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an environment variable name') }).strict(),
  z.object({ file: z.string().min(1) }).strict()
]).transform((ref, ctx): string => {
  if (typeof ref === 'string') return ref
  if ('env' in ref) {
    const value = secretEnv[ref.env]
    if (value === undefined || value === '') {
      ctx.addIssue({ code: 'custom', message: `environment variable ${ref.env} is not set` })
      return z.NEVER
    }
    return value
  }
  try {
    // Secret files conventionally end with a newline that is not part of the secret.
    const value = readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '')
    if (value === '') throw new Error('file is empty')
    return value
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `cannot read secret file ${ref.file}: ${(err as Error).message}` })
    return z.NEVER
  }
})

/** A secret that must be long enough to resist guessing. */
export function secretAtLeast (chars: number) {
  return SecretConfig.refine((value) => value.length >= chars, { message: `must be at least ${chars} characters` })
}
