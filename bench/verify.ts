import { isDeepStrictEqual } from 'node:util'
import type { BenchCase } from './cases/index.js'
import type { RunningServer } from './server-process.js'
import type { Target } from './targets.js'

/** One request before measuring: a target that answers wrongly is reported, not benchmarked. */
export async function verifyReply (target: Target, server: RunningServer, benchCase: BenchCase): Promise<void> {
  const { method, path, headers, body } = benchCase.request
  const response = await fetch(`${server.url}${path}`, { method, headers, body })
  const text = await response.text()
  const expected = target.checksReply ? benchCase.expect : { status: 200, body: undefined }
  let parsed: unknown
  try { parsed = JSON.parse(text) } catch { parsed = text }
  const statusOk = response.status === expected.status
  const bodyOk = !target.checksReply || isDeepStrictEqual(parsed, expected.body)
  if (!statusOk || !bodyOk) {
    throw new Error(`${target.label} answered ${response.status} ${text.slice(0, 300)} to case ${benchCase.name}; ` +
      `expected ${expected.status}${target.checksReply ? ` ${JSON.stringify(expected.body)}` : ''}`)
  }
}
