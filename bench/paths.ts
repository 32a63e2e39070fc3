import { fileURLToPath } from 'node:url'

/** Compiled to dist/bench/, so the repository root is two levels up. */
const root = new URL('../../', import.meta.url)

export const paths = {
  root: fileURLToPath(root),
  hookflowServer: fileURLToPath(new URL('dist/src/server.js', root)),
  baselineB1: fileURLToPath(new URL('dist/bench/baseline-b1.js', root)),
  baselineB2: fileURLToPath(new URL('dist/bench/baseline-b2.js', root)),
  /** Read from the source tree: tsc does not copy JSON that nothing imports. */
  benchConfig: fileURLToPath(new URL('bench/config.json', root)),
  /** Plain JS, not compiled: imported from the source tree (case 8's PostgreSQL cluster). */
  pgCluster: fileURLToPath(new URL('scripts/pg-cluster.mjs', root)),
  /** Gitignored (bench/.gitignore): figures are per machine. */
  results: fileURLToPath(new URL('bench/results.json', root)),
  peerResults: fileURLToPath(new URL('bench/results-peers.json', root))
}
