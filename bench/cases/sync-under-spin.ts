import type { RunningServer } from '../server-process.js'
import { b1, hookflow } from '../targets.js'
import type { BenchCase, Disturbance, DisturbanceFigures } from './bench-case.js'
import { b1Load, echoLoad } from './sync-set-body.js'

/**
 * Keeps one request to the `spin` endpoint in flight at all times: its scenario is
 * `while(true){}` in a script step, stopped by the endpoint's `timeoutMs: 1000` (a 504), so an
 * evaluation host spins for a second, its sandbox stops at the deadline, and the next request
 * starts at once (before its host could answer by itself, it was killed and replaced every second).
 */
export const spinningScript: Disturbance = {
  start: (server: RunningServer) => {
    let running = true
    const byStatus: Record<string, number> = {}
    const loop = (async () => {
      while (running) {
        let status: string
        try {
          const response = await fetch(`${server.url}/api/webrequest/spin`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
            signal: AbortSignal.timeout(10_000)
          })
          await response.arrayBuffer()
          status = String(response.status)
        } catch {
          status = 'error'
        }
        byStatus[status] = (byStatus[status] ?? 0) + 1
      }
    })()
    let stopped: Promise<DisturbanceFigures> | undefined
    return {
      stop: async () => {
        running = false
        stopped ??= loop.then(() => ({ byStatus }))
        return await stopped
      }
    }
  }
}

/** Case 6: case 1's load while another endpoint's script spins on one core. */
export const syncUnderSpin: BenchCase = {
  id: 6,
  name: 'sync-under-spinning-script',
  title: 'Case 6: case 1 while a `while(true)` script spins under a 1 s timeout',
  about: 'Case 1\'s load (`echo`, history all) undisturbed, then with a background loop that keeps one request to ' +
    '`POST /api/webrequest/spin` in flight throughout the warm-up and the measured part: its script is `while(true){}`, ' +
    'stopped by the endpoint\'s 1 s timeout (504); the next request starts at once. The spec compares the disturbed ' +
    'row with the undisturbed one.',
  ratioTo: 'b1',
  drains: false,
  rows: [
    { id: 'b1', label: 'B1 bare Fastify 5', target: b1, baseline: 'b1', load: b1Load },
    { id: 'hookflow-undisturbed', label: 'hookflow case 1, undisturbed', target: hookflow, load: echoLoad },
    { id: 'hookflow-spinning', label: 'hookflow case 1, script spinning', target: hookflow, load: echoLoad, disturbance: spinningScript }
  ]
}
