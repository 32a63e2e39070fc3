const DAY_MS = 86_400_000
const MAX_TIME = 8.64e15
/** 'HH:MM:SS.mmmZ' */
const TIME_OF_DAY_BYTES = 13
/** The longest ISO time: '+275760-09-13T00:00:00.000Z'. */
export const MAX_ISO_TIME_BYTES = 27

let cachedDay = Number.NaN
/** The cached day's 'YYYY-MM-DDT' (longer for years past 9999 or before 0). */
const cachedDate = Buffer.alloc(MAX_ISO_TIME_BYTES - TIME_OF_DAY_BYTES)
let cachedDateBytes = 0
const scratch = Buffer.alloc(MAX_ISO_TIME_BYTES)

const ZERO = 48

/**
 * Writes `new Date(ms).toISOString()`, byte for byte, at `offset` of `target` and returns the
 * offset after it; throws where toISOString throws. Without a Date or a string per call: a page of
 * 50 runs formats 150 times, and toISOString took 1.7 µs each (a sixth of the page's CPU); runs of
 * one page share their day, so the date part is remembered and only the time of day is written.
 */
export function writeIsoTime (target: Buffer, offset: number, time: number): number {
  // A Date truncates a fractional time the same way.
  const ms = Math.trunc(time)
  // Beyond ±100 000 000 days no Date exists: toISOString throws, as it should.
  if (!(Math.abs(ms) <= MAX_TIME)) return offset + target.write(new Date(ms).toISOString(), offset, 'latin1')
  const day = Math.floor(ms / DAY_MS)
  if (day !== cachedDay) {
    cachedDateBytes = cachedDate.write(new Date(day * DAY_MS).toISOString().slice(0, -TIME_OF_DAY_BYTES), 0, 'latin1')
    cachedDay = day
  }
  let at = offset
  // Byte by byte: Buffer#copy makes a view of its source per call (~90 bytes of garbage a time).
  for (let i = 0; i < cachedDateBytes; i++) target[at++] = cachedDate[i]
  let rest = ms - day * DAY_MS
  const hours = Math.floor(rest / 3_600_000)
  rest -= hours * 3_600_000
  const minutes = Math.floor(rest / 60_000)
  rest -= minutes * 60_000
  const seconds = Math.floor(rest / 1000)
  rest -= seconds * 1000
  target[at++] = ZERO + Math.floor(hours / 10)
  target[at++] = ZERO + hours % 10
  target[at++] = 0x3a // :
  target[at++] = ZERO + Math.floor(minutes / 10)
  target[at++] = ZERO + minutes % 10
  target[at++] = 0x3a
  target[at++] = ZERO + Math.floor(seconds / 10)
  target[at++] = ZERO + seconds % 10
  target[at++] = 0x2e // .
  target[at++] = ZERO + Math.floor(rest / 100)
  target[at++] = ZERO + Math.floor(rest / 10) % 10
  target[at++] = ZERO + rest % 10
  target[at++] = 0x5a // Z
  return at
}

/** `new Date(ms).toISOString()`, byte for byte (writeIsoTime's formatting, as a string). */
export function isoTime (time: number): string {
  return scratch.toString('latin1', 0, writeIsoTime(scratch, 0, time))
}
