import { z } from 'zod'
import { secretAtLeast } from './secret.js'

export const AdminRole = z.enum(['admin', 'viewer'])
export type AdminRole = z.infer<typeof AdminRole>

export const AdminConfig = z.object({
  // Several may be configured, so a token can be rotated without downtime.
  tokens: z.array(z.object({
    token: secretAtLeast(16),
    role: AdminRole,
    /** Who this token is, as the audit log names it (default `token-<n>`). */
    name: z.string().min(1).max(64).optional()
  }).strict()).default([])
}).strict()

export type AdminConfig = z.infer<typeof AdminConfig>
