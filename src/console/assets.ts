import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../storage/package-root.js'

export interface Asset { type: string, body: Buffer }

const FILES: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8'
}

/** The console's stylesheet and script, read once at start from the package (no CDN: it works offline). */
export function readAssets (): Map<string, Asset> {
  const dir = join(packageRoot(), 'src', 'console', 'assets')
  return new Map(Object.entries(FILES).map(([name, type]) => [name, { type, body: readFileSync(join(dir, name)) }]))
}
