import { createHash, timingSafeEqual } from 'node:crypto'
import type { Action, RolesConfig, UserConfig } from '../config/collections.js'
import { ActionError } from './perform-action.js'

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

export interface Caller {
  userId: string
  role: string
}

/**
 * Who may do what with which collection: users by token, roles by the `roles` table. Enforced
 * here, for every route — a UI hiding a button is no permission system.
 */
export function makeCollectionPermissions (users: readonly UserConfig[], roles: RolesConfig) {
  const known = users.map((user) => ({ user, digest: digest(user.token) }))

  return {
    /** The user a token belongs to; 401 when none. Every token is compared, in constant time. */
    authenticate (token: string | undefined): UserConfig {
      let found: UserConfig | undefined
      if (token !== undefined && token !== '') {
        const presented = digest(token)
        for (const candidate of known) if (timingSafeEqual(candidate.digest, presented)) found ??= candidate.user
      }
      if (found === undefined) throw new ActionError(401, ['missing or invalid token: send Authorization: Bearer <token>'])
      return found
    },

    /** The role the call acts as: `X-Role` if the user has it, else the user's first role. */
    roleOf (user: UserConfig, requested: string | undefined): string {
      if (requested === undefined || requested === '') return user.roles[0]
      if (!user.roles.includes(requested)) throw new ActionError(403, [`role "${requested}" is not one of this user's roles`])
      return requested
    },

    require (role: string, collection: string, action: Action): void {
      if (!(roles[role]?.[collection] ?? []).includes(action)) {
        throw new ActionError(403, [`role "${role}" may not ${action} ${collection}`])
      }
    }
  }
}

export type CollectionPermissions = ReturnType<typeof makeCollectionPermissions>
