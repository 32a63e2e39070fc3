import { execFileSync } from 'node:child_process'
import { paths } from './paths.js'

/**
 * The commit measured, with "+ uncommitted changes" when src/ or migrations/ differ from it.
 * BENCH_COMMIT names it instead, for a run in an exported tree (`git archive HEAD | tar -x`).
 */
export function describeCommit (): string {
  if (process.env.BENCH_COMMIT !== undefined && process.env.BENCH_COMMIT !== '') return process.env.BENCH_COMMIT
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: paths.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const commit = git('rev-parse', '--short', 'HEAD')
    const dirty = git('status', '--porcelain', '--', 'src', 'migrations') !== ''
    return dirty ? `${commit} + uncommitted changes in src/ or migrations/` : commit
  } catch {
    return 'unknown (not a git checkout)'
  }
}
