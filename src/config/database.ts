import { z } from 'zod'

export const DatabaseConfig = z.object({
  path: z.string().min(1).default('data/hookflow.db'),
  /**
   * `normal` (WAL): a commit survives a crash of the process, but the last commits may be lost on
   * power loss or an OS crash. `full`: every commit is synced to disk first and survives those too;
   * group commit keeps it affordable.
   */
  synchronous: z.enum(['normal', 'full']).default('normal')
}).strict()

export type DatabaseConfig = z.infer<typeof DatabaseConfig>
