import type { RunJsonRow } from '../storage/types.js'
import { MAX_ISO_TIME_BYTES, writeIsoTime } from './iso-time.js'
import { durationOf } from './present.js'

const HEAD_START = '{"data":['
/** What a run adds to its head at most: four keys, three quoted times, a duration, a comma. */
const TAIL_BYTES = 4 * 16 + 3 * (MAX_ISO_TIME_BYTES + 2) + 24 + 1
/** `],"nextCursor":"<id>"}`: a cursor is at most 16 digits. */
const END_BYTES = 64

const COMMA = 0x2c
const QUOTE = 0x22
const CLOSE = 0x7d

function writeTime (target: Buffer, offset: number, key: string, ms: number | null): number {
  let at = offset + target.write(key, offset, 'latin1')
  if (ms === null) return at + target.write('null', at, 'latin1')
  target[at++] = QUOTE
  at = writeIsoTime(target, at, ms)
  target[at++] = QUOTE
  return at
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
  let capacity = HEAD_START.length + END_BYTES
  // A UTF-16 code unit is at most three UTF-8 bytes.
  for (let i = 0; i < count; i++) capacity += 3 * rows[i][1].length + TAIL_BYTES
  const body = Buffer.allocUnsafe(capacity)
  let at = body.write(HEAD_START, 0, 'latin1')
  for (let i = 0; i < count; i++) {
    const [, head, createdAt, startedAt, finishedAt] = rows[i]
    if (i > 0) body[at++] = COMMA
    // The head's closing brace is overwritten by the keys appended to it.
    at += body.write(head, at) - 1
    at = writeTime(body, at, ',"createdAt":', createdAt)
    at = writeTime(body, at, ',"startedAt":', startedAt)
    at = writeTime(body, at, ',"finishedAt":', finishedAt)
    at += body.write(',"durationMs":', at, 'latin1')
    at += body.write(String(durationOf(startedAt, finishedAt)), at, 'latin1')
    body[at++] = CLOSE
  }
  at += body.write(`],"nextCursor":${nextCursor === null ? 'null' : `"${nextCursor}"`}}`, at, 'latin1')
  return body.subarray(0, at)
}
