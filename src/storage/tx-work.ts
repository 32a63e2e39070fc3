import type { Awaitable, TxWork } from './types.js'

/** Inside transaction work: `const row = yield* step(tx.insert(…))` types the value it gets back. */
export function * step<T> (value: Awaitable<T>): Generator<unknown, T, unknown> {
  return (yield value) as T
}

/** Drives work whose operations answer at once (SQLite), without leaving the current turn. */
export function runNow<T> (work: TxWork<T>): T {
  let next = work.next()
  while (next.done !== true) next = work.next(next.value)
  return next.value
}

/** Drives work whose operations answer later (PostgreSQL), one at a time. */
export async function runInOrder<T> (work: TxWork<T>): Promise<T> {
  let next = work.next()
  while (next.done !== true) {
    let value: unknown
    try {
      value = await next.value
    } catch (err) {
      next = work.throw(err)
      continue
    }
    next = work.next(value)
  }
  return next.value
}
