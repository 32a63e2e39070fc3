import { watch } from 'node:fs'
import { ConfigError, loadConfig, type LoadedConfig } from './config/load-config.js'
import { describeEntryPoints } from './cli/entry-points.js'
import { tuneHeap } from './heap-tuning.js'
import { createHookflow, type Hookflow } from './hookflow.js'
import { CollectionSchemaError } from './storage/collection-schema.js'
import { databaseLabel, StorageOpenError } from './storage/open-storage.js'

export interface ServeOptions {
  configFile: string
  /** Overrides the config's port (`--port`). */
  port?: number
  /** Reload when the config file changes (`--watch`). */
  watch?: boolean
  out: (line: string) => void
}

/** Refusals that mean "fix the config", said without a stack trace. */
const isConfigProblem = (err: unknown): err is Error => err instanceof ConfigError || err instanceof CollectionSchemaError || err instanceof StorageOpenError

/**
 * load config → open storage → build the app → listen, then print every entry point. Closes
 * gracefully on SIGTERM/SIGINT. Returns the exit code when it refuses to start.
 */
export async function serve (options: ServeOptions): Promise<number | Hookflow> {
  tuneHeap()
  let loaded: LoadedConfig
  let hookflow: Hookflow
  try {
    loaded = loadConfig(options.configFile, options.port === undefined ? process.env : { ...process.env, HOOKFLOW_PORT: String(options.port) })
    hookflow = await createHookflow(loaded)
  } catch (err) {
    if (!isConfigProblem(err)) throw err
    process.stderr.write(`hookflow: refusing to start, ${err.message}\n`)
    return 1
  }
  // Evaluation hosts ready and unfinished runs resumed before the first request is accepted.
  await hookflow.start()
  const { host, port } = loaded.config.server
  const address = await hookflow.app.listen({ host, port })
  hookflow.log.info({ config: loaded.source, database: databaseLabel(loaded.config.database) }, `hookflow listening on ${address}`)
  for (const line of describeEntryPoints(loaded.config, address)) options.out(line)

  let closing = false
  const shutdown = (signal: string): void => {
    if (closing) return
    closing = true
    hookflow.log.info({ signal }, 'shutting down')
    hookflow.close().then(() => process.exit(0), (err: unknown) => {
      hookflow.log.error({ err }, 'unclean shutdown')
      process.exit(1)
    })
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))

  const reload = (why: string): void => {
    hookflow.log.info({ why }, 'reloading config')
    hookflow.reload().catch((err: unknown) => hookflow.log.error({ err }, 'config reload failed'))
  }
  process.on('SIGHUP', () => reload('SIGHUP'))
  if (options.watch === true) {
    let timer: NodeJS.Timeout | undefined
    // Editors write in bursts (truncate, write, rename): wait for the file to settle.
    watch(loaded.source, () => {
      clearTimeout(timer)
      timer = setTimeout(() => reload('config file changed'), 300)
    }).unref()
  }
  return hookflow
}
