import { Writable } from 'node:stream'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { IncomingMessage } from 'node:http'
import { describe, expect, it, vi } from 'vitest'
import { lazyRequestLogger } from '../../src/http/request-logger.js'
import { createLogger } from '../../src/logging.js'

function capture (level: string) {
  const lines: Array<Record<string, unknown>> = []
  const destination = new Writable({ write (chunk, _encoding, done) { lines.push(JSON.parse(chunk.toString())); done() } })
  const parent = createLogger({ level, destination })
  const child = vi.spyOn(parent, 'child')
  const make = (options: Record<string, unknown> = {}): FastifyBaseLogger =>
    lazyRequestLogger.call({} as FastifyInstance, parent, { reqId: 'req-1' }, options, {} as IncomingMessage)
  return { lines, child, make }
}

describe('lazyRequestLogger', () => {
  it('makes no child for lines below the level, and writes the others with the request id', () => {
    const { lines, child, make } = capture('warn')
    const log = make()
    log.info({ a: 1 }, 'not written')
    log.debug('nor this')
    expect(child).not.toHaveBeenCalled()
    expect(log.level).toBe('warn')
    log.warn({ a: 2, creds: { token: 'secret' } }, 'written')
    log.error('and this')
    expect(child).toHaveBeenCalledTimes(1)
    expect(lines.map((line) => [line.msg, line.reqId, line.a])).toEqual([['written', 'req-1', 2], ['and this', 'req-1', undefined]])
    expect(lines[0].creds).toEqual({ token: '[redacted]' })
  })

  it('passes child bindings on, and a level set on it holds', () => {
    const { lines, make } = capture('warn')
    const log = make()
    log.child({ runId: 7 }).warn('from a child')
    expect(lines[0]).toMatchObject({ msg: 'from a child', reqId: 'req-1', runId: 7 })
    log.level = 'info'
    log.info('now written')
    expect(lines.at(-1)).toMatchObject({ msg: 'now written', reqId: 'req-1' })
  })

  it('gives a route with its own level a real child at once', () => {
    const { child, make } = capture('warn')
    const log = make({ level: 'debug' })
    expect(child).toHaveBeenCalledTimes(1)
    expect(log.level).toBe('debug')
  })
})
