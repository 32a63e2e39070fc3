import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BenchPgDatabase } from './bench-postgres.js'
import { paths } from './paths.js'
import type { QueueDatabase } from './queue-drain.js'
import { groupServers } from './server-group.js'
import { freePort, startServer, type RunningServer } from './server-process.js'
import { SERVER_NODE_FLAGS } from '../src/node-flags.js'

export type EvaluateOn = 'hosts' | 'main-thread'

/** bench/config.json with `runner.evaluateOn` set: the only key the bench ever changes. */
export async function writeBenchConfig (workDir: string, evaluateOn: EvaluateOn): Promise<string> {
  const config = JSON.parse(await readFile(paths.benchConfig, 'utf8')) as { runner?: Record<string, unknown> }
  config.runner = { ...config.runner, evaluateOn }
  const configFile = join(workDir, `config-${evaluateOn}.json`)
  await writeFile(configFile, JSON.stringify(config, null, 2))
  return configFile
}

/**
 * Starts hookflow as `npm start` does (its Node flags, `dist/src/server.js`), with `--config <file>`, on loopback,
 * on a SQLite file in the bench's temporary folder (never data/) or on a PostgreSQL database of
 * the bench's own cluster.
 */
export async function startHookflow (name: string, evaluateOn: EvaluateOn, workDir: string, database: QueueDatabase, nodeArgs: string[] = []): Promise<RunningServer> {
  const configFile = await writeBenchConfig(workDir, evaluateOn)
  const port = await freePort()
  return await startServer({
    name,
    script: paths.hookflowServer,
    args: ['--config', configFile],
    // --no-node-snapshot comes with every process the bench starts.
    nodeArgs: [...SERVER_NODE_FLAGS.filter((flag) => flag !== '--no-node-snapshot'), ...nodeArgs],
    env: {
      HOOKFLOW_HOST: '127.0.0.1',
      HOOKFLOW_PORT: String(port),
      // Both set: a HOOKFLOW_DATABASE_URL in the caller's environment must not move a SQLite row to PostgreSQL.
      ...('sqlite' in database
        ? { HOOKFLOW_DB: database.sqlite, HOOKFLOW_DATABASE_URL: '' }
        : { HOOKFLOW_DB: '', HOOKFLOW_DATABASE_URL: database.postgres })
    },
    port,
    readyPath: '/readyz',
    database,
    // Opening a catalog of a million runs is slower than an empty one.
    startTimeoutMs: 120_000
  })
}

/**
 * `count` hookflow instances (hosts mode, the bench config) on one PostgreSQL database, each its
 * own process on its own port, as one target. Started one after the other: the first applies the
 * migrations, the others find them done. If one fails to start, those already started are stopped.
 */
export async function startHookflowGroup (name: string, count: number, workDir: string, database: BenchPgDatabase): Promise<RunningServer> {
  const started: RunningServer[] = []
  try {
    for (let n = 1; n <= count; n++) {
      started.push(await startHookflow(count === 1 ? name : `${name}, instance ${n}`, 'hosts', workDir, { postgres: database.url }))
    }
  } catch (err) {
    await Promise.all(started.map(async (server) => await server.stop()))
    throw err
  }
  return groupServers(started, { database: { postgres: database.url }, databasePids: database.pids })
}
