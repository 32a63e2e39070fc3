import type { FastifyReply } from 'fastify'

interface Held {
  release: () => void
  onError: (err: unknown) => void
}

/**
 * Holds replies (sync runs', randids) until the loop's check phase, then lets them all go at once.
 *
 * Why: every reply is one `writev`, and on loopback the writer's kernel also wakes the reader
 * (here a client such as autocannon). Written the moment each scenario ends, replies trickle out
 * between the processing of the next requests, so the client goes back to sleep between them
 * and each write pays for waking it (on these paravirtualised machines an expensive hypercall).
 * Written back to back after the poll phase has handed us every readable socket, the first
 * write wakes the client and the rest find it awake (docs/performance.md, "Findings and gains").
 * The cost is latency within one turn of the loop: a reply waits for the requests read with it.
 *
 * Only for replies made while the poll phase runs. A reply that is ready only once a group
 * commit has run (itself a check-phase callback) would wait a whole further turn of the loop:
 * async intake lost a third of its rate when every reply was held.
 */
export class WriteBatch {
  private held: Held[] = []
  private scheduled = false

  /** `release` runs in the next check phase, after every one held before it; if it throws, `onError` gets the error. */
  hold (release: () => void, onError: (err: unknown) => void): void {
    this.held.push({ release, onError })
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(this.flush)
  }

  private readonly flush = (): void => {
    const due = this.held
    this.held = []
    this.scheduled = false
    for (const { release, onError } of due) {
      try {
        release()
      } catch (err) {
        onError(err)
      }
    }
  }
}

type OnSendDone = (err: Error | null, payload?: unknown) => void

/**
 * The batch as Fastify's last `onSend` step: replies that joined it are written with the batch,
 * all others at once. Joining at the very end matters: what runs between two writes of a batch
 * is what the client has to be slower than, so only the write itself is held.
 */
export function createReplyBatch () {
  const batch = new WriteBatch()
  const joined = new WeakSet<FastifyReply>()
  return {
    /** For a reply made while the poll phase runs (see WriteBatch): a sync run's, a randid. */
    join (reply: FastifyReply): void { joined.add(reply) },
    onSend (reply: FastifyReply, payload: unknown, done: OnSendDone): void {
      if (!joined.has(reply)) {
        done(null, payload)
        return
      }
      batch.hold(() => done(null, payload), (err) => {
        // Fastify threw while writing headers it had accepted: nothing sane is left to send.
        reply.log.error({ err }, 'a reply could not be written')
        reply.raw.destroy()
      })
    }
  }
}

export type ReplyBatch = ReturnType<typeof createReplyBatch>
