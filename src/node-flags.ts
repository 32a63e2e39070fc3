/**
 * The Node flags the server process runs with: `npm start`, the Dockerfile's CMD (a test keeps
 * both equal to this list), `hookflow serve`'s relaunch and the bench.
 * - `--no-node-snapshot`: isolated-vm cannot load without it.
 * - `--max-semi-space-size=4`: a young generation of 3 × 4 MB instead of V8's 3 × 16 MB. Under
 *   load a request's objects die young, so the smaller one saves the server ~25–30 MB of RSS
 *   without a throughput cost `npm run bench` could tell from its noise; case 7's list pages paid
 *   for it until they were written as bytes (runs/run-page-body.ts, docs/performance.md). V8 reads
 *   it only when the process starts (setFlagsFromString is too late).
 */
export const SERVER_NODE_FLAGS = ['--no-node-snapshot', '--max-semi-space-size=4'] as const
