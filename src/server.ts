import { join } from 'node:path'
import { ConfigError, loadConfig, resolveConfigPath, type LoadedConfig } from './config/load-config.js'
import { createHookflow } from './hookflow.js'
import { CollectionSchemaError } from './storage/collection-schema.js'
import { packageRoot } from './storage/package-root.js'

/** Entry point: load config → open storage → build the app → listen; closes gracefully on signals. */
async function main (): Promise<void> {
  const file = resolveConfigPath(process.argv.slice(2), process.env, join(packageRoot(), 'config.example.json'))
  let loaded: LoadedConfig
  try {
    loaded = loadConfig(file)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`hookflow: refusing to start, ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }

  let hookflow
  try {
    hookflow = await createHookflow(loaded)
  } catch (err) {
    if (err instanceof CollectionSchemaError) {
      process.stderr.write(`hookflow: refusing to start, ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
  // Evaluation hosts ready and unfinished runs resumed before the first request is accepted.
  await hookflow.start()
  const { host, port } = loaded.config.server
  const address = await hookflow.app.listen({ host, port })
  hookflow.log.info({ config: loaded.source, database: loaded.config.database.path }, `hookflow listening on ${address}`)
  for (const endpoint of await hookflow.endpoints.list()) {
    hookflow.log.info(`web request ${endpoint.enabled ? '' : '(disabled) '}${address}/api/webrequest/${endpoint.slug} → ${endpoint.scenario}`)
  }

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
}

main().catch((err: unknown) => {
  process.stderr.write(`hookflow: failed to start: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
