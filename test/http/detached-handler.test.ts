import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { detachedHandler } from '../../src/http/detached-handler.js'

function appWith (handle: Parameters<typeof detachedHandler>[0]) {
  const app = Fastify()
  app.setErrorHandler((error, _request, reply) => { void reply.code(418).send({ caught: error.message }) })
  app.get('/', detachedHandler(handle))
  return app
}

describe('detachedHandler', () => {
  it('sends what the handler sends, after an await', async () => {
    const app = appWith(async (_request, reply) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      reply.code(201).send({ ok: true })
    })
    const res = await app.inject({ method: 'GET', url: '/' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toEqual({ ok: true })
  })

  it('hands a thrown error to the error handler, as an async handler would', async () => {
    const app = appWith(async () => { throw new Error('boom') })
    const res = await app.inject({ method: 'GET', url: '/' })
    expect(res.statusCode).toBe(418)
    expect(res.json()).toEqual({ caught: 'boom' })
  })

  it('turns a thrown non-error into an error rather than sending it as the body', async () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    const app = appWith(async () => { throw 'a string' })
    const res = await app.inject({ method: 'GET', url: '/' })
    expect(res.statusCode).toBe(418)
    expect(res.json()).toEqual({ caught: 'a string' })
  })

  it('sends once when the handler fails after its reply went out', async () => {
    const app = appWith(async (_request, reply) => {
      reply.send({ first: true })
      throw new Error('too late')
    })
    const res = await app.inject({ method: 'GET', url: '/' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ first: true })
  })
})
