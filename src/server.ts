import { join } from 'node:path'
import { resolveConfigPath } from './config/load-config.js'
import { serve } from './serve.js'
import { packageRoot } from './storage/package-root.js'

/** `npm start`: serve `--config`, `HOOKFLOW_CONFIG`, or config.example.json. */
const configFile = resolveConfigPath(process.argv.slice(2), process.env, join(packageRoot(), 'config.example.json'))

serve({ configFile, out: (line) => process.stdout.write(`${line}\n`) }).then((result) => {
  if (typeof result === 'number') process.exit(result)
}, (err: unknown) => {
  process.stderr.write(`hookflow: failed to start: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
