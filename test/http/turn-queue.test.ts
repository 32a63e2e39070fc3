import { describe, expect, it } from 'vitest'
import { createTurnQueue } from '../../src/http/turn-queue.js'

const checkPhase = async (): Promise<void> => await new Promise((resolve) => setImmediate(resolve))

describe('createTurnQueue', () => {
  it('runs tasks in the order they came, not at once, and answers each with its result', async () => {
    const queue = createTurnQueue(50)
    const seen: string[] = []
    const answers = Promise.all(['a', 'b', 'c'].map(async (name) => await queue.run(() => { seen.push(name); return name.toUpperCase() })))
    expect(seen).toEqual([])
    expect(await answers).toEqual(['A', 'B', 'C'])
    expect(seen).toEqual(['a', 'b', 'c'])
  })

  it('yields to the loop once a turn has used its budget, and goes on in the next', async () => {
    const queue = createTurnQueue(0)
    const seen: string[] = []
    const first = queue.run(() => seen.push('first'))
    const second = queue.run(() => seen.push('second'))
    // Scheduled after the queue's turn: a budget of 0 lets it in between the two tasks.
    setImmediate(() => seen.push('between'))
    await Promise.all([first, second])
    expect(seen).toEqual(['first', 'between', 'second'])
  })

  it('runs a turn of several tasks while its budget lasts', async () => {
    const queue = createTurnQueue(1000)
    const seen: string[] = []
    const tasks = [queue.run(() => seen.push('first')), queue.run(() => seen.push('second'))]
    setImmediate(() => seen.push('after'))
    await Promise.all(tasks)
    await checkPhase()
    expect(seen).toEqual(['first', 'second', 'after'])
  })

  it('rejects only the task that failed, by throwing or by rejecting', async () => {
    const queue = createTurnQueue(0)
    const results = await Promise.allSettled([
      queue.run(() => { throw new Error('thrown') }),
      queue.run(async () => await Promise.reject(new Error('rejected'))),
      queue.run(() => 'fine')
    ])
    expect(results.map((result) => result.status === 'fulfilled' ? result.value : (result.reason as Error).message)).toEqual(['thrown', 'rejected', 'fine'])
    // The queue is not stuck after them.
    expect(await queue.run(() => 'again')).toBe('again')
  })
})
