import { describe, expect, it } from 'vitest'
import { WriteBatch } from '../../src/http/write-batch.js'

const checkPhase = async (): Promise<void> => await new Promise((resolve) => setImmediate(resolve))

describe('WriteBatch', () => {
  it('holds every release of a turn and lets them go in order in the check phase', async () => {
    const batch = new WriteBatch(() => {})
    const seen: string[] = []
    batch.hold(() => seen.push('a'))
    await Promise.resolve()
    batch.hold(() => seen.push('b'))
    process.nextTick(() => batch.hold(() => seen.push('c')))
    expect(seen).toEqual([])
    await new Promise((resolve) => process.nextTick(resolve))
    expect(seen).toEqual([])
    await checkPhase()
    expect(seen).toEqual(['a', 'b', 'c'])
  })

  it('schedules again for what is held after a flush', async () => {
    const batch = new WriteBatch(() => {})
    const seen: number[] = []
    batch.hold(() => seen.push(1))
    await checkPhase()
    batch.hold(() => seen.push(2))
    expect(seen).toEqual([1])
    await checkPhase()
    expect(seen).toEqual([1, 2])
  })

  it('a release held while flushing waits for the next turn, and one that throws is reported without dropping the others', async () => {
    const errors: unknown[] = []
    const batch = new WriteBatch((err) => errors.push(err))
    const seen: string[] = []
    batch.hold(() => { seen.push('first'); batch.hold(() => seen.push('later')) })
    batch.hold(() => { throw new Error('boom') })
    batch.hold(() => seen.push('second'))
    await checkPhase()
    expect(seen).toEqual(['first', 'second'])
    await checkPhase()
    expect(seen).toEqual(['first', 'second', 'later'])
    expect(errors).toHaveLength(1)
    expect((errors[0] as Error).message).toBe('boom')
  })
})
