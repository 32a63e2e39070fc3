import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * The event dialect's signature: lowercase hex SHA-256 of the UTF-8 string
 * `name + data + rand + token`, with no separators.
 */
export function eventSignature (name: string, data: string, rand: string, token: string): string {
  return createHash('sha256').update(name + data + rand + token, 'utf8').digest('hex')
}

const HEX_DIGEST = /^[0-9a-fA-F]{64}$/

/** Compares a sent signature with the expected one in constant time; junk is simply no match. */
export function signatureMatches (sent: string, expectedHex: string): boolean {
  if (!HEX_DIGEST.test(sent)) return false
  return timingSafeEqual(Buffer.from(sent, 'hex'), Buffer.from(expectedHex, 'hex'))
}
