import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { freePort, startServer, type RunningServer } from '../server-process.js'
import { aptInstall, type Installed } from './install.js'

/**
 * Case 1 as an adnanh/webhook hook: `/hooks/echo` runs `/bin/true` and answers a static JSON
 * message (webhook answers without waiting for the command unless told to include its output).
 */
const hooks = [{
  id: 'echo',
  'execute-command': '/bin/true',
  'command-working-directory': '/',
  'response-message': JSON.stringify({ ok: true, got: { order: 42, items: [1, 2, 3] } }),
  'response-headers': [{ name: 'Content-Type', value: 'application/json' }]
}]

export async function installWebhook (): Promise<Installed> {
  return await aptInstall('webhook', 'webhook')
}

export async function startWebhook (folder: string, command: string): Promise<RunningServer> {
  await mkdir(folder, { recursive: true })
  const hooksFile = join(folder, 'hooks.json')
  await writeFile(hooksFile, JSON.stringify(hooks, null, 2))
  const port = await freePort()
  return await startServer({
    name: 'webhook',
    command,
    args: ['-hooks', hooksFile, '-ip', '127.0.0.1', '-port', String(port)],
    port,
    // Any method reaches the hook: GET proves it is served.
    readyPath: '/hooks/echo'
  })
}
