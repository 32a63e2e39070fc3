import { describe, expect, it } from 'vitest'
import { createLoopPressure } from '../../src/queue/loop-pressure.js'

function clockAndLoad () {
  let now = 1000
  let busy = 0
  let readings = 0
  return {
    set: (share: number) => { busy = share },
    advance: (ms: number) => { now += ms },
    readings: () => readings,
    options: { windowMs: 10, threshold: 0.9, now: () => now, busySince: () => { readings++; return busy } }
  }
}

describe('loop pressure', () => {
  it('reads the loop once per window and keeps that reading within it', () => {
    const t = clockAndLoad()
    const pressure = createLoopPressure(t.options)
    const first = t.readings()
    t.set(1)
    expect(pressure.saturated()).toBe(false)
    t.advance(10)
    expect(pressure.saturated()).toBe(true)
    t.set(0.2)
    t.advance(5)
    expect(pressure.saturated()).toBe(true)
    expect(t.readings()).toBe(first + 1)
    t.advance(5)
    expect(pressure.saturated()).toBe(false)
  })

  it('counts a busy share at the threshold as saturated, below it as not', () => {
    const t = clockAndLoad()
    const pressure = createLoopPressure(t.options)
    t.set(0.9)
    t.advance(10)
    expect(pressure.saturated()).toBe(true)
    t.set(0.89)
    t.advance(10)
    expect(pressure.saturated()).toBe(false)
  })

  it('reads the real event loop: a busy spin is saturated, an idle wait is not', async () => {
    const pressure = createLoopPressure({ windowMs: 20 })
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(pressure.saturated()).toBe(false)
    const until = Date.now() + 40
    while (Date.now() < until) { /* busy */ }
    expect(pressure.saturated()).toBe(true)
  })
})
