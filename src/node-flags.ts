/**
 * The Node flags the server process runs with: `npm start`, the Dockerfile's CMD (a test keeps
 * both equal to this list), `hookflow serve`'s relaunch and the bench.
 * - `--no-node-snapshot`: isolated-vm cannot load without it.
 * - `--max-semi-space-size=8`: a young generation of 3 × 8 MB instead of V8's 3 × 16 MB, ~10–15 MB
 *   less RSS under load. Case 7's list pages paid for a smaller one until they were written as
 *   bytes (runs/run-page-body.ts); 4 MB saved ~30 MB but cost case 1 ~5–10 % in alternating rounds,
 *   8 MB did not (docs/performance.md, ninth stop). V8 reads it only when the process starts
 *   (setFlagsFromString is too late).
 */
export const SERVER_NODE_FLAGS = ['--no-node-snapshot', '--max-semi-space-size=8'] as const
