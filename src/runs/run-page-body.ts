import type { RunJsonRow } from '../storage/types.js'
import { MAX_ISO_TIME_BYTES, writeIsoTime } from './iso-time.js'
import { durationOf } from './present.js'

/** What a run adds to its head at most: four keys, three quoted times, a duration, a comma. */
const TAIL_BYTES = 4 * 16 + 3 * (MAX_ISO_TIME_BYTES + 2) + 24 + 1
/** `],"nextCursor":"<id>"}`: a cursor is at most 16 digits. */
const END_BYTES = 64

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1')
const PAGE_START = bytes('{"data":[')
const CREATED_AT = bytes(',"createdAt":')
const STARTED_AT = bytes(',"startedAt":')
const FINISHED_AT = bytes(',"finishedAt":')
const DURATION = bytes(',"durationMs":')
const NULL = bytes('null')

const COMMA = 0x2c
const QUOTE = 0x22
const CLOSE = 0x7d
const ZERO = 0x30

/**
 * Byte by byte: each `Buffer#write` of a short constant was a call into C++ (~0.1 µs, five per run)
 * and `Buffer#copy` makes a view of its source per call.
 */
function put (target: Buffer, at: number, source: Buffer): number {
  for (let i = 0; i < source.length; i++) target[at++] = source[i]
  return at
}

function putTime (target: Buffer, at: number, key: Buffer, ms: number | null): number {
  at = put(target, at, key)
  if (ms === null) return put(target, at, NULL)
  target[at++] = QUOTE
  at = writeIsoTime(target, at, ms)
  target[at++] = QUOTE
  return at
}

/** `String(n)`'s bytes; digit by digit for the usual non-negative integer. */
function putNumber (target: Buffer, at: number, n: number | null): number {
  if (n === null) return put(target, at, NULL)
  if (!Number.isSafeInteger(n) || n < 0) return at + target.write(String(n), at, 'latin1')
  let digits = 1
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++
  for (let i = digits - 1, rest = n; i >= 0; i--, rest = Math.floor(rest / 10)) target[at + i] = ZERO + rest % 10
  return at + digits
}

/**
 * A catalog list page as the API's JSON body, `{data, nextCursor}`, written as bytes: each run's
 * head (presentRun's JSON up to `error`, built by SQLite) with its times and duration appended by
 * presentRun's rules, without a string per run or per time. Built as strings, a page of 50
 * allocated ~160 kB: its scavenges made the server's young generation worth 3 × 16 MB
 * (docs/performance.md, case 7).
 */
export function writeRunPage (rows: RunJsonRow[], nextCursor: string | null): Buffer {
  const count = rows.length
  let capacity = PAGE_START.length + END_BYTES
  // A UTF-16 code unit is at most three UTF-8 bytes.
  for (let i = 0; i < count; i++) capacity += 3 * rows[i][1].length + TAIL_BYTES
  const body = Buffer.allocUnsafe(capacity)
  let at = put(body, 0, PAGE_START)
  for (let i = 0; i < count; i++) {
    const [, head, createdAt, startedAt, finishedAt] = rows[i]
    if (i > 0) body[at++] = COMMA
    // The head's closing brace is overwritten by the keys appended to it.
    at += body.write(head, at) - 1
    at = putTime(body, at, CREATED_AT, createdAt)
    at = putTime(body, at, STARTED_AT, startedAt)
    at = putTime(body, at, FINISHED_AT, finishedAt)
    at = put(body, at, DURATION)
    at = putNumber(body, at, durationOf(startedAt, finishedAt))
    body[at++] = CLOSE
  }
  at += body.write(`],"nextCursor":${nextCursor === null ? 'null' : `"${nextCursor}"`}}`, at, 'latin1')
  return body.subarray(0, at)
}
