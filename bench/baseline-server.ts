import { paths } from './paths.js'
import { freePort, startServer, type RunningServer } from './server-process.js'

export async function startBaselineB1 (): Promise<RunningServer> {
  const port = await freePort()
  return await startServer({
    name: 'B1 (bare Fastify)',
    script: paths.baselineB1,
    env: { B1_PORT: String(port) },
    port,
    readyPath: '/readyz'
  })
}
