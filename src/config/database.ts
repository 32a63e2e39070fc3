import { z } from 'zod'
import { SecretConfig } from './secret.js'

export const DatabaseConfig = z.object({
  /** The embedded SQLite file, used unless `url` is set. */
  path: z.string().min(1).default('data/hookflow.db'),
  /**
   * `postgres://user:password@host:5432/db`: a PostgreSQL database several instances share.
   * A secret (`{"env": …}` / `{"file": …}`), since the URL usually carries a password.
   */
  url: SecretConfig.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')).optional(),
  /** Connections per instance to PostgreSQL. */
  poolSize: z.number().int().min(2).max(200).default(10),
  /**
   * SQLite only. `normal` (WAL): a commit survives a crash of the process, but the last commits
   * may be lost on power loss or an OS crash. `full`: every commit is synced to disk first and
   * survives those too; group commit keeps it affordable.
   */
  synchronous: z.enum(['normal', 'full']).default('normal')
}).strict()

export type DatabaseConfig = z.infer<typeof DatabaseConfig>
