/**
 * The Node flags the server process runs with: `npm start`, the Dockerfile's CMD (a test keeps
 * both equal to this list), `hookflow serve`'s relaunch and the bench.
 * - `--no-node-snapshot`: isolated-vm cannot load without it.
 * - `--max-semi-space-size=4`: a young generation of 3 × 4 MB instead of V8's 3 × 16 MB. Under
 *   load a request's objects die in the young generation (docs/performance.md, "semi-space"), so
 *   the smaller one costs no throughput in case 1 or 2 of `npm run bench` and saves the server
 *   ~25–40 MB of RSS. V8 reads it only when the process starts (setFlagsFromString is too late).
 */
export const SERVER_NODE_FLAGS = ['--no-node-snapshot', '--max-semi-space-size=4'] as const
