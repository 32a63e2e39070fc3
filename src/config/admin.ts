import { z } from 'zod'
import { secretAtLeast } from './secret.js'

export const AdminRole = z.enum(['admin', 'viewer'])
export type AdminRole = z.infer<typeof AdminRole>

export const AdminConfig = z.object({
  tokens: z.array(z.object({
    token: secretAtLeast(16),
    role: AdminRole
  }).strict()).default([])
}).strict()

export type AdminConfig = z.infer<typeof AdminConfig>
