import { z } from 'zod'

export const DatabaseConfig = z.object({
  path: z.string().min(1).default('data/hookflow.db'),
  /**
   * FULL survives power loss; NORMAL (WAL) survives a process crash but may lose the last
   * commits on power loss. Group commit keeps FULL affordable.
   */
  synchronous: z.enum(['FULL', 'NORMAL']).default('FULL')
}).strict()

export type DatabaseConfig = z.infer<typeof DatabaseConfig>
