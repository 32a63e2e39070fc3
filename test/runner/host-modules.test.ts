import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const hostFile = join(root, 'dist', 'src', 'runner', 'hosts', 'evaluation-host.js')

/** Every module URL the evaluation host's file imports, as resolved by Node's ESM loader. */
function modulesOfHost (): string[] {
  const hook = `data:text/javascript,${encodeURIComponent('export async function resolve (s, c, next) { const r = await next(s, c); process.stderr.write("MODULE " + r.url + "\\n"); return r }')}`
  const script = `import { register } from 'node:module'; register(${JSON.stringify(hook)}); await import(${JSON.stringify(pathToFileURL(hostFile).href)}); process.exit(0)`
  // Started without an IPC channel, the host's module only loads.
  const child = spawnSync(process.execPath, ['--no-node-snapshot', '--input-type=module', '-e', script], { encoding: 'utf8' })
  if (child.status !== 0) throw new Error(`loading the host failed: ${child.stderr}`)
  return child.stderr.split('\n').filter((line) => line.startsWith('MODULE ')).map((line) => line.slice('MODULE '.length))
}

describe('what an evaluation host loads', () => {
  // Each host is its own process: a library it loads is memory every host holds (zod was ~7 MB).
  it('loads the evaluator (jsonata) but not the config validation (zod)', () => {
    const modules = modulesOfHost()
    expect(modules.some((url) => url.includes('/node_modules/jsonata/'))).toBe(true)
    expect(modules.filter((url) => url.includes('/node_modules/zod/'))).toEqual([])
  })
})
