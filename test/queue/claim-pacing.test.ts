import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { createConcurrency } from '../../src/queue/concurrency.js'
import { createQueueWorker, type QueueWorker } from '../../src/queue/worker.js'
import type { ScenarioRuntime } from '../../src/runner/run-scenario.js'
import type { QueueStore, RunStore } from '../../src/storage/types.js'

/** A queue that is always empty and notes when it was asked: the timing of claims is the subject. */
function emptyQueue () {
  const claims: number[] = []
  const queue = {
    claim: async () => { claims.push(Date.now()); return [] },
    releaseAll: async () => 0,
    renew: async () => [],
    release: async () => {}
  } as unknown as QueueStore
  return { queue, claims }
}

function workerWith (queue: QueueStore, saturated: boolean): QueueWorker {
  return createQueueWorker({
    queue,
    runs: {} as RunStore,
    runtime: {} as ScenarioRuntime,
    concurrency: createConcurrency(),
    maxConcurrentOf: () => undefined,
    config: { concurrency: 4, maxDepth: 100, leaseMs: 30_000, pollMs: 60_000 },
    log: pino({ level: 'silent' }),
    pressure: { saturated: () => saturated }
  })
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms))

describe('claim pacing', () => {
  let worker: QueueWorker | undefined
  afterEach(async () => { await worker?.close(0); worker = undefined })

  it('claims within a few ms of an enqueue while the loop has slack', async () => {
    const { queue, claims } = emptyQueue()
    worker = workerWith(queue, false)
    await worker.start()
    await sleep(30)
    const woken = Date.now()
    worker.wake()
    await sleep(30)
    expect(claims.length).toBe(2)
    // A 1 ms timer; the margin is for a busy machine. Deferred claims wait 25 ms.
    expect(claims[1] - woken).toBeLessThan(20)
  })

  it('while intake saturates the loop, claims wait 25 ms after the previous one, and still come', async () => {
    const { queue, claims } = emptyQueue()
    worker = workerWith(queue, true)
    await worker.start()
    const woken = Date.now()
    worker.wake()
    await sleep(10)
    worker.wake()
    // Unless the machine stalled this test past the 25 ms, the second wake found the claim deferred.
    if (Date.now() - claims[0] < 20) expect(claims.length).toBe(1)
    await sleep(150)
    expect(claims.length).toBeGreaterThanOrEqual(2)
    expect(claims[1] - claims[0]).toBeGreaterThanOrEqual(24)
    expect(claims[1] - woken).toBeLessThan(140)
  })
})
