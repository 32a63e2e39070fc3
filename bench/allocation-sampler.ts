import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { join } from 'node:path'
import { isMainThread } from 'node:worker_threads'

/**
 * Loaded into a profiled server with `--import <this file>?dir=<folder>` (`npm run bench:profile
 * -- --alloc`). The first SIGUSR2 starts V8's sampling heap profiler, the second writes what it
 * sampled to `<folder>/alloc-<pid>.heapprofile`. Unlike `node --heap-prof`, the samples of objects
 * already collected are kept: under load nearly everything a request allocates is garbage by the
 * end, and that garbage is what the scavenger spends its time on.
 */
if (isMainThread) {
  const dir = new URL(import.meta.url).searchParams.get('dir') ?? '.'
  const session = new Session()
  session.connect()
  const post = async (method: string, params: object = {}): Promise<unknown> => await new Promise((resolve, reject) => {
    session.post(method, params, (err, result) => { if (err === null) resolve(result); else reject(err) })
  })
  let sampling = false
  process.on('SIGUSR2', () => {
    const step = sampling
      ? post('HeapProfiler.stopSampling').then((result) => {
        writeFileSync(join(dir, `alloc-${process.pid}.heapprofile`), JSON.stringify((result as { profile: unknown }).profile))
      })
      : post('HeapProfiler.enable').then(async () => await post('HeapProfiler.startSampling', {
        samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true
      }))
    sampling = !sampling
    step.catch((err: unknown) => { process.stderr.write(`allocation sampler: ${String(err)}\n`) })
  })
}
