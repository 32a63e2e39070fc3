import { randomInt } from 'node:crypto'
import type { RandStore } from '../../storage/types.js'

export interface RandStoreOptions {
  ttlMs: number
  maxOutstanding: number
  now?: () => number
}

/** A one-time id: 20 decimal digits from the CSPRNG (about 66 bits). */
export function newRand (): string {
  return `${randomInt(1_000_000_000, 10_000_000_000)}${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`
}

/**
 * One-time ids for signed event calls, in memory. Each is valid for `ttlMs` and is used up by
 * the first call that presents it, whatever that call's fate. Memory is bounded: past
 * `maxOutstanding` live ids no more are issued. Async-shaped so a shared store can replace it.
 */
export function createRandStore ({ ttlMs, maxOutstanding, now = Date.now }: RandStoreOptions): RandStore & { readonly outstanding: number } {
  // Insertion order is expiry order (one ttl for all), so expired ids sit at the front.
  const expiries = new Map<string, number>()

  const sweep = (): void => {
    const t = now()
    for (const [rand, expires] of expiries) {
      if (expires > t) break
      expiries.delete(rand)
    }
  }

  return {
    /** A fresh id, or undefined when too many are outstanding. */
    async issue (): Promise<string | undefined> {
      sweep()
      if (expiries.size >= maxOutstanding) return undefined
      let rand = newRand()
      while (expiries.has(rand)) rand = newRand()
      expiries.set(rand, now() + ttlMs)
      return rand
    },

    /** Uses the id up; true only if it was issued, unused and unexpired. One caller can win. */
    async consume (rand: string): Promise<boolean> {
      const expires = expiries.get(rand)
      expiries.delete(rand)
      return expires !== undefined && expires > now()
    },

    get outstanding (): number { return expiries.size }
  }
}

export type { RandStore } from '../../storage/types.js'
