import { hash, randomFillSync, timingSafeEqual } from 'node:crypto'

const KEY_BYTES = 24
/**
 * Key bytes are drawn from the CSPRNG a few hundred keys at a time, as randomUUID does: one
 * `randomBytes(24)` per async run took 4–5 % of the intake's CPU.
 */
const POOL_KEYS = 256
const pool = Buffer.alloc(KEY_BYTES * POOL_KEYS)
let used = POOL_KEYS

function freshKeyBytes (): Buffer {
  if (used === POOL_KEYS) {
    randomFillSync(pool)
    used = 0
  }
  const start = KEY_BYTES * used++
  return pool.subarray(start, start + KEY_BYTES)
}

// One-shot hashing: a Hash object per key cost as much again.
const digest = (key: string): Buffer => hash('sha256', key, 'buffer')

/** A per-run key for the caller's status URL; only its hash is stored. */
export function newStatusKey (): { key: string, hash: string } {
  const key = freshKeyBytes().toString('base64url')
  return { key, hash: hash('sha256', key, 'hex') }
}

export function statusKeyMatches (key: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex')
  const actual = digest(key)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

export const statusUrl = (runId: number, key: string): string => `/api/runs/${runId}/status?key=${key}`
