import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { paths } from './paths.js'
import { freePort, startServer, type RunningServer } from './server-process.js'

export type EvaluateOn = 'hosts' | 'main-thread'

/**
 * Starts hookflow from bench/config.json with `runner.evaluateOn` set, its database in `workDir`
 * so the bench never touches data/.
 */
export async function startHookflow (evaluateOn: EvaluateOn, workDir: string): Promise<RunningServer> {
  const config = JSON.parse(await readFile(paths.benchConfig, 'utf8')) as { runner?: Record<string, unknown> }
  config.runner = { ...config.runner, evaluateOn }
  const configFile = join(workDir, `config-${evaluateOn}.json`)
  await writeFile(configFile, JSON.stringify(config, null, 2))
  const port = await freePort()
  return await startServer({
    name: `hookflow (${evaluateOn})`,
    script: paths.hookflowServer,
    args: ['--config', configFile],
    env: {
      HOOKFLOW_HOST: '127.0.0.1',
      HOOKFLOW_PORT: String(port),
      HOOKFLOW_DB: join(workDir, `hookflow-${evaluateOn}.db`)
    },
    port,
    readyPath: '/readyz'
  })
}
