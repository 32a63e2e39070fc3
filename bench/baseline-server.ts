import { join } from 'node:path'
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

/** Its database lives in the case's own folder, so every case starts B2 on an empty table. */
export async function startBaselineB2 (workDir: string): Promise<RunningServer> {
  const port = await freePort()
  return await startServer({
    name: 'B2 (Fastify + SQLite insert)',
    script: paths.baselineB2,
    env: { B2_PORT: String(port), B2_DB: join(workDir, 'b2.db') },
    port,
    readyPath: '/readyz'
  })
}
