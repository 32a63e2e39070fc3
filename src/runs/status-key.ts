import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

const hash = (key: string): Buffer => createHash('sha256').update(key).digest()

/** A per-run key for the caller's status URL; only its hash is stored. */
export function newStatusKey (): { key: string, hash: string } {
  const key = randomBytes(24).toString('base64url')
  return { key, hash: hash(key).toString('hex') }
}

export function statusKeyMatches (key: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex')
  const actual = hash(key)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

export const statusUrl = (runId: number, key: string): string => `/api/runs/${runId}/status?key=${key}`
