/**
 * `node dist/bench/object-spread.js`: what building an object costs on this Node, by how it is
 * built. On Node 20 (V8 11.3) a literal that adds keys after a spread (`{ ...run, status }`)
 * takes a slow path for every added key, ~1–3 µs each, where the same object written out or made
 * with `Object.assign({}, …)` takes tens to hundreds of nanoseconds. docs/performance.md
 * ("object spread") has the figures and the changes made for them; this prints them again.
 */
import { performance } from 'node:perf_hooks'

const ROUNDS = 3
const CALLS = 300_000

/** A finished run's fields before and after it ran, as answer-sync.ts had them. */
const runBase = (i: number) => ({ id: i, kind: 'webrequest', endpoint: 'echo', scenario: 'echo', input: { a: 1 }, createdAt: i, startedAt: i })
const runResult = (i: number) => ({ status: 'succeeded', input: { a: 2 }, output: { b: 1 }, error: null, steps: [], finishedAt: i })

type Base = ReturnType<typeof runBase>
type Result = ReturnType<typeof runResult>

const ways: Record<string, (base: Base, result: Result) => unknown> = {
  'spread, two keys added, spread again': (base, result) => ({ ...base, async: false, timeoutMs: 60_000, ...result }),
  'spread, one key added': (base) => ({ ...base, async: false }),
  'spread, existing keys overwritten': (base) => ({ ...base, createdAt: 1, startedAt: 2 }),
  'spread alone': (base) => ({ ...base }),
  'keys first, then spread': (base) => ({ async: false, timeoutMs: 60_000, ...base }),
  'Object.assign onto a literal': (base, result) => Object.assign({}, base, { async: false, timeoutMs: 60_000 }, result),
  'written out': (base, result) => ({
    id: base.id, kind: base.kind, endpoint: base.endpoint, scenario: base.scenario, createdAt: base.createdAt, startedAt: base.startedAt,
    async: false, timeoutMs: 60_000, status: result.status, input: result.input, output: result.output, error: result.error, steps: result.steps, finishedAt: result.finishedAt
  })
}

let sink: unknown
console.log(`Node ${process.version}: ns per object (best of ${ROUNDS} rounds of ${CALLS} calls)`)
for (const [name, build] of Object.entries(ways)) {
  let best = Infinity
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now()
    for (let i = 0; i < CALLS; i++) sink = build(runBase(i), runResult(i))
    best = Math.min(best, (performance.now() - started) * 1e6 / CALLS)
  }
  console.log(`${Math.round(best).toString().padStart(7)}  ${name}`)
}
if (sink === undefined) process.exitCode = 1
