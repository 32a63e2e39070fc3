import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { freePort, startServer, type RunningServer } from '../server-process.js'
import { npmInstall, type Installed } from './install.js'

export const NODE_RED_SPEC = 'node-red@4'

/**
 * Case 1 as a Node-RED flow: http in (POST /echo) → function (`{ ok: true, got: msg.payload }`)
 * → http response; a second http in (GET /readyz) answers readiness. The editor and admin API
 * are off (`httpAdminRoot: false`), logging at warn, no telemetry.
 */
const flows = [
  { id: 'bench-tab', type: 'tab', label: 'bench' },
  { id: 'echo-in', type: 'http in', z: 'bench-tab', name: '', url: '/echo', method: 'post', upload: false, swaggerDoc: '', wires: [['echo-fn']] },
  { id: 'echo-fn', type: 'function', z: 'bench-tab', name: 'reply', func: 'msg.payload = { ok: true, got: msg.payload };\nreturn msg;', outputs: 1, wires: [['echo-out']] },
  { id: 'echo-out', type: 'http response', z: 'bench-tab', name: '', statusCode: '', headers: {}, wires: [] },
  { id: 'ready-in', type: 'http in', z: 'bench-tab', name: '', url: '/readyz', method: 'get', upload: false, swaggerDoc: '', wires: [['ready-out']] },
  { id: 'ready-out', type: 'http response', z: 'bench-tab', name: '', statusCode: '200', headers: {}, wires: [] }
]

export async function installNodeRed (folder: string): Promise<Installed> {
  await mkdir(folder, { recursive: true })
  return await npmInstall(folder, NODE_RED_SPEC)
}

export async function startNodeRed (folder: string): Promise<RunningServer> {
  const userDir = join(folder, 'user')
  await mkdir(userDir, { recursive: true })
  const port = await freePort()
  await writeFile(join(userDir, 'flows.json'), JSON.stringify(flows, null, 2))
  await writeFile(join(userDir, 'settings.js'), `module.exports = ${JSON.stringify({
    uiHost: '127.0.0.1',
    uiPort: port,
    httpAdminRoot: false,
    flowFile: 'flows.json',
    credentialSecret: false,
    diagnostics: { enabled: false },
    logging: { console: { level: 'warn', metrics: false, audit: false } }
  }, null, 2)}\n`)
  return await startServer({
    name: 'Node-RED',
    script: join(folder, 'node_modules', 'node-red', 'red.js'),
    args: ['--settings', join(userDir, 'settings.js'), '--userDir', userDir, '--no-telemetry', 'flows.json'],
    port,
    readyPath: '/readyz',
    startTimeoutMs: 60_000
  })
}
