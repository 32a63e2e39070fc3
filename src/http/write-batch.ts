/**
 * Holds replies until the loop's check phase and then lets them all go at once.
 *
 * Why: every reply is one `writev`, and on loopback the writer's kernel also wakes the reader
 * (here a client such as autocannon). Written the moment each scenario ends, replies trickle out
 * between the processing of the next requests, so the client goes back to sleep between them
 * and each write pays for waking it (on these paravirtualised machines an expensive hypercall).
 * Written back to back after the poll phase has handed us every readable socket, the first
 * write wakes the client and the rest find it awake. Measured on case 1 (docs/performance.md,
 * "Findings and gains"): ~14 % more req/s with `history: "none"`, ~10 % with history.
 * The cost is latency within one turn of the loop: a reply waits for the requests read with it.
 */
export class WriteBatch {
  private held: Array<() => void> = []
  private scheduled = false

  /** `onError` hears of a release that threw (outside any request's own error handling by then). */
  constructor (private readonly onError: (err: unknown) => void) {}

  /** `release` runs in the next check phase, after every reply held before it in this turn. */
  hold (release: () => void): void {
    this.held.push(release)
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(this.flush)
  }

  private readonly flush = (): void => {
    const due = this.held
    this.held = []
    this.scheduled = false
    for (const release of due) {
      try {
        release()
      } catch (err) {
        this.onError(err)
      }
    }
  }
}
