import type { Vars } from '../runner/types.js'

/** The user a run acts for, from its `user {id}` input variable. */
export function userIdOf (input: Vars): string | null {
  const id = (input.user as { id?: unknown } | undefined)?.id
  return id === undefined || id === null ? null : String(id)
}
