/**
 * CommonJS entry of the segment worker. Piscina first tries `require()` on its worker file; on
 * Node 20 that loads an ES module synchronously, and terminating a worker during that load aborts
 * the whole process (V8 "IsGraphAsync" fatal error). A CommonJS file that imports the real
 * worker asynchronously keeps every worker load on the async path, where termination is safe.
 */
import type { SegmentTask } from './segment-worker.js'

const loading = import('./segment-worker.js')
// A load failure surfaces in the first task; it must not crash the worker unobserved.
loading.catch(() => {})

module.exports = async function runSegmentEntry (task: SegmentTask): Promise<unknown> {
  const { default: run } = await loading
  return await run(task)
}
