import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { createWriteLock } from '../../src/storage/write-lock.js'

/** A thread that takes the lock word, holds it for `ms`, and lets go. */
function holdInThread (shared: SharedArrayBuffer, ms: number): Promise<void> {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads')
    const word = new Int32Array(workerData.shared)
    while (Atomics.compareExchange(word, 0, 0, 1) !== 0) Atomics.wait(word, 0, 1, 10)
    parentPort.postMessage('held')
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms)
    Atomics.store(word, 0, 0)
    Atomics.notify(word, 0, 1)
  `
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { shared, ms } })
    worker.once('message', () => resolve())
    worker.once('error', reject)
  })
}

describe('write lock', () => {
  it('waits while another thread holds it and goes on the moment it lets go', async () => {
    const lock = createWriteLock()
    await holdInThread(lock.shared, 60)
    const started = performance.now()
    const value = lock.hold(() => 'written')
    const waited = performance.now() - started
    expect(value).toBe('written')
    expect(waited).toBeGreaterThan(40)
    expect(waited).toBeLessThan(95)
  })

  it('runs nested holds on the same thread without waiting for itself', () => {
    const lock = createWriteLock()
    const started = performance.now()
    expect(lock.hold(() => lock.hold(() => 2) + 1)).toBe(3)
    expect(performance.now() - started).toBeLessThan(20)
    expect(new Int32Array(lock.shared)[0]).toBe(0)
  })

  it('goes ahead after 100 ms when the holder never lets go (SQLite still guards the write)', () => {
    const lock = createWriteLock()
    const stuck = createWriteLock(lock.shared)
    stuck.hold(() => {
      const started = performance.now()
      expect(lock.hold(() => 'anyway')).toBe('anyway')
      expect(performance.now() - started).toBeGreaterThanOrEqual(95)
      // It did not own the lock, so it did not free the holder's.
      expect(new Int32Array(lock.shared)[0]).toBe(1)
    })
    expect(new Int32Array(lock.shared)[0]).toBe(0)
  })

  it('releases the lock when the work throws', () => {
    const lock = createWriteLock()
    expect(() => lock.hold(() => { throw new Error('constraint failed') })).toThrow('constraint failed')
    expect(new Int32Array(lock.shared)[0]).toBe(0)
  })
})
