/**
 * Runs tasks in the order they were queued, in turns of the event loop of about `budgetMs` each.
 *
 * Why: a run-list page costs ~0.15–0.3 ms of the server's one thread. Handled where the poll phase
 * reads them, the pages of every readable socket run back to back, and a request that arrives just
 * after the poll waits for all of them and then for its own group: under 50 connections one or two
 * connections fell into that slot every round and took twice the mean (p99 ≈ 2 × mean, even in a
 * bare `http` server with 300 µs of work a request). Taken from one queue, a few at a time, with a
 * poll between turns, requests are served in the order they arrived, and a webhook that arrives
 * meanwhile waits for at most one turn, not for a pile of pages (docs/performance.md, case 7).
 * The replies of a turn leave together once it ends, so the client is still woken once a turn
 * rather than once a page (write-batch.ts says why that matters).
 */
export interface TurnQueue {
  /** `task`'s result (or error), once its turn has come and it ran. */
  run: <T>(task: () => T | Promise<T>) => Promise<T>
}

export function createTurnQueue (budgetMs: number): TurnQueue {
  const tasks: Array<() => void> = []
  let scheduled = false

  const turn = (): void => {
    const until = performance.now() + budgetMs
    do tasks.shift()!()
    while (tasks.length > 0 && performance.now() < until)
    if (tasks.length > 0) setImmediate(turn)
    else scheduled = false
  }

  return {
    run: async <T>(task: () => T | Promise<T>): Promise<T> => await new Promise<T>((resolve, reject) => {
      tasks.push(() => {
        try {
          resolve(task())
        } catch (err) {
          reject(err)
        }
      })
      if (scheduled) return
      scheduled = true
      setImmediate(turn)
    })
  }
}
