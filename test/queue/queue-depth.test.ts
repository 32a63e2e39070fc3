import { describe, expect, it } from 'vitest'
import { createQueueDepth } from '../../src/queue/queue-depth.js'

/** A queue whose count takes `countMs` of a fake clock. */
function fakeQueue (countMs: number) {
  const clock = { at: 0 }
  const state = { waiting: 0, counts: 0 }
  const queue = {
    depth: async () => {
      state.counts++
      clock.at += countMs
      return state.waiting
    }
  }
  return { clock, state, queue }
}

describe('the queue depth used for back-pressure', () => {
  it('counts again after refreshMs when counting is cheap, adding runs enqueued meanwhile', async () => {
    const { clock, state, queue } = fakeQueue(0.1)
    const depth = createQueueDepth(queue, { now: () => clock.at })
    state.waiting = 10
    expect(await depth.current()).toBe(10)
    depth.added(3)
    clock.at += 100
    expect(await depth.current()).toBe(13)
    expect(state.counts).toBe(1)
    state.waiting = 2
    clock.at += 200
    expect(await depth.current()).toBe(2)
    expect(state.counts).toBe(2)
  })

  it('waits longer between counts that take long, so counting stays a small share of the time', async () => {
    const { clock, state, queue } = fakeQueue(4)
    const depth = createQueueDepth(queue, { now: () => clock.at })
    await depth.current()
    clock.at += 700
    await depth.current()
    expect(state.counts).toBe(1)
    clock.at += 150
    await depth.current()
    expect(state.counts).toBe(2)
  })

  it('counts at least every maxRefreshMs however slow a count is', async () => {
    const { clock, state, queue } = fakeQueue(100)
    const depth = createQueueDepth(queue, { now: () => clock.at, maxRefreshMs: 5000 })
    await depth.current()
    clock.at += 5000
    await depth.current()
    expect(state.counts).toBe(2)
  })
})
