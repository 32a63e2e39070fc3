import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export type Installed = { ok: true, detail: string } | { ok: false, why: string }

const message = (err: unknown): string => {
  const stderr = typeof err === 'object' && err !== null && 'stderr' in err ? String(err.stderr).trim().split('\n').slice(-3).join(' | ') : ''
  return stderr !== '' ? stderr : err instanceof Error ? err.message : String(err)
}

/** `npm install` into a folder of its own (never this repository's node_modules). */
export async function npmInstall (folder: string, spec: string): Promise<Installed> {
  try {
    await run('npm', ['install', '--prefix', folder, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], { timeout: 300_000 })
    return { ok: true, detail: `npm install ${spec}` }
  } catch (err) {
    return { ok: false, why: `npm install ${spec} failed: ${message(err)}` }
  }
}

export async function which (command: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('sh', ['-c', `command -v ${command}`])
    return stdout.trim() === '' ? undefined : stdout.trim()
  } catch {
    return undefined
  }
}

/** A Debian package, when it is not already there: needs root (or passwordless apt). */
export async function aptInstall (pkg: string, command: string): Promise<Installed> {
  const found = await which(command)
  if (found !== undefined) return { ok: true, detail: `${found} (already installed)` }
  if (process.getuid?.() !== 0) return { ok: false, why: `${command} is not installed and installing ${pkg} needs root: apt-get install -y ${pkg}` }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  try {
    await run('apt-get', ['install', '-y', pkg], { env, timeout: 300_000 })
  } catch {
    // The package lists may be missing or stale: refresh them once and try again.
    try {
      await run('apt-get', ['update'], { env, timeout: 300_000 })
      await run('apt-get', ['install', '-y', pkg], { env, timeout: 300_000 })
    } catch (err) {
      return { ok: false, why: `apt-get install -y ${pkg} failed: ${message(err)}` }
    }
  }
  const installed = await which(command)
  return installed === undefined ? { ok: false, why: `${pkg} installed but ${command} is not on PATH` } : { ok: true, detail: `${installed} (apt-get install ${pkg})` }
}
