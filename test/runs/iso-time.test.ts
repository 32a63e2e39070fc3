import { describe, expect, it } from 'vitest'
import { isoTime, MAX_ISO_TIME_BYTES, writeIsoTime } from '../../src/runs/iso-time.js'

describe('isoTime', () => {
  it('formats exactly as Date#toISOString', () => {
    const now = Date.now()
    const times = [
      0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, -1, -86_400_001, 1.9, -1.9,
      now, now + 1, now - 86_400_000 * 400, 253_402_300_799_999, 253_402_300_800_000, -62_198_755_200_000, 8.64e15, -8.64e15
    ]
    for (let i = 0; i < 5000; i++) times.push(Math.floor((Math.random() - 0.3) * 4e12))
    for (const time of times) expect([time, isoTime(time)]).toEqual([time, new Date(time).toISOString()])
  })

  it('writes the same bytes at an offset, returns the offset after them and leaves the rest alone', () => {
    for (const time of [0, 1_796_288_655_674, 253_402_300_800_000, -62_198_755_200_000, 8.64e15]) {
      const target = Buffer.alloc(MAX_ISO_TIME_BYTES + 10, '#')
      const end = writeIsoTime(target, 5, time)
      const iso = new Date(time).toISOString()
      expect(end).toBe(5 + iso.length)
      expect(target.toString('latin1')).toBe(`#####${iso}${'#'.repeat(target.length - end)}`)
    }
  })

  it('throws on a time no Date can hold, as toISOString does', () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError)
    expect(() => isoTime(8.64e15 + 86_400_000)).toThrow(RangeError)
    expect(() => isoTime(8.64e15 + 5)).toThrow(RangeError)
    expect(() => isoTime(Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })
})
