import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * A route handler that sends its reply itself and does not hand its promise to Fastify. An async
 * handler has to resolve to the reply, and resolving a promise to a reply calls `Reply.then`,
 * which, for a reply not yet written (write-batch.ts holds it to the end of the loop's turn),
 * waits for the response to finish through an end-of-stream listener: ~5 µs and a closure held
 * per request on case 1 of `npm run bench` (docs/performance.md). `handle` must therefore never
 * return or await the reply; what it throws goes to the error handler, as from an async handler.
 */
export function detachedHandler<Request extends FastifyRequest> (handle: (request: Request, reply: FastifyReply) => Promise<void>) {
  return (request: Request, reply: FastifyReply): void => {
    handle(request, reply).catch((err: unknown) => {
      if (reply.sent) {
        reply.log.error({ err }, 'the handler failed after its reply was sent')
        return
      }
      reply.send(err instanceof Error ? err : new Error(String(err)))
    })
  }
}
