import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { newStatusKey, statusKeyMatches } from '../../src/runs/status-key.js'

describe('status keys', () => {
  it('are 24 random bytes, never repeated, across many refills of the byte pool', () => {
    const keys = new Set<string>()
    for (let i = 0; i < 3000; i++) {
      const { key, hash } = newStatusKey()
      expect(Buffer.from(key, 'base64url')).toHaveLength(24)
      expect(hash).toBe(createHash('sha256').update(key).digest('hex'))
      keys.add(key)
    }
    expect(keys.size).toBe(3000)
  })

  it('match only their own hash', () => {
    const a = newStatusKey()
    const b = newStatusKey()
    expect(statusKeyMatches(a.key, a.hash)).toBe(true)
    expect(statusKeyMatches(a.key, b.hash)).toBe(false)
    expect(statusKeyMatches(a.key, 'abcd')).toBe(false)
  })
})
