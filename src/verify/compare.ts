import { createHmac, timingSafeEqual } from 'node:crypto'

export type Algorithm = 'sha1' | 'sha256' | 'sha512'

export const hmac = (algorithm: Algorithm, key: string | Buffer, data: Buffer | string): Buffer =>
  createHmac(algorithm, key).update(data).digest()

/** Whether a sent signature (as text in `encoding`) equals the expected digest, in constant time. */
export function digestMatches (sent: string, expected: Buffer, encoding: 'hex' | 'base64'): boolean {
  const valid = encoding === 'hex' ? /^[0-9a-fA-F]+$/.test(sent) : /^[A-Za-z0-9+/]+={0,2}$/.test(sent)
  if (!valid) return false
  const bytes = Buffer.from(sent, encoding)
  return bytes.length === expected.length && timingSafeEqual(bytes, expected)
}

/** A timestamp (seconds) within `toleranceSec` of now, in either direction. */
export function fresh (timestamp: string | undefined, toleranceSec: number, now = Date.now()): boolean {
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return false
  return Math.abs(now / 1000 - Number(timestamp)) <= toleranceSec
}
