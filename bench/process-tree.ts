import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Direct children only: hookflow's evaluation hosts are forked by the server itself. */
export async function childPids (pid: number): Promise<number[]> {
  try {
    const { stdout } = await run('pgrep', ['-P', String(pid)])
    return stdout.split('\n').filter((line) => line !== '').map(Number)
  } catch {
    // pgrep exits 1 when there is no child.
    return []
  }
}

/** The process and its children. */
export async function treePids (pid: number): Promise<number[]> {
  return [pid, ...await childPids(pid)]
}
