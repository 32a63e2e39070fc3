import { describe, expect, it } from 'vitest'
import type { FastifyReply } from 'fastify'
import { createReplyBatch, WriteBatch } from '../../src/http/write-batch.js'

const ignore = (): void => {}
const checkPhase = async (): Promise<void> => await new Promise((resolve) => setImmediate(resolve))

describe('WriteBatch', () => {
  it('holds every release of a turn and lets them go in order in the check phase', async () => {
    const batch = new WriteBatch()
    const seen: string[] = []
    batch.hold(() => seen.push('a'), ignore)
    await Promise.resolve()
    batch.hold(() => seen.push('b'), ignore)
    process.nextTick(() => batch.hold(() => seen.push('c'), ignore))
    expect(seen).toEqual([])
    await new Promise((resolve) => process.nextTick(resolve))
    expect(seen).toEqual([])
    await checkPhase()
    expect(seen).toEqual(['a', 'b', 'c'])
  })

  it('schedules again for what is held after a flush', async () => {
    const batch = new WriteBatch()
    const seen: number[] = []
    batch.hold(() => seen.push(1), ignore)
    await checkPhase()
    batch.hold(() => seen.push(2), ignore)
    expect(seen).toEqual([1])
    await checkPhase()
    expect(seen).toEqual([1, 2])
  })

  it('a release held while flushing waits for the next turn, and one that throws is reported without dropping the others', async () => {
    const errors: unknown[] = []
    const batch = new WriteBatch()
    const report = (err: unknown): void => { errors.push(err) }
    const seen: string[] = []
    batch.hold(() => { seen.push('first'); batch.hold(() => seen.push('later'), ignore) }, ignore)
    batch.hold(() => { throw new Error('boom') }, report)
    batch.hold(() => seen.push('second'), ignore)
    await checkPhase()
    expect(seen).toEqual(['first', 'second'])
    await checkPhase()
    expect(seen).toEqual(['first', 'second', 'later'])
    expect(errors).toHaveLength(1)
    expect((errors[0] as Error).message).toBe('boom')
  })
})

describe('createReplyBatch', () => {
  const fakeReply = (): FastifyReply => ({ log: { error: () => {} }, raw: { destroy: () => {} } }) as unknown as FastifyReply

  it('holds only the replies that joined, and hands their payload on unchanged', async () => {
    const replies = createReplyBatch()
    const joined = fakeReply()
    const other = fakeReply()
    const sent: Array<[string, unknown]> = []
    replies.join(joined)
    replies.onSend(joined, 'held body', (err, payload) => sent.push(['joined', err ?? payload]))
    replies.onSend(other, 'other body', (err, payload) => sent.push(['other', err ?? payload]))
    expect(sent).toEqual([['other', 'other body']])
    await checkPhase()
    expect(sent).toEqual([['other', 'other body'], ['joined', 'held body']])
  })
})
