import { setFlagsFromString } from 'node:v8'

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it
 * collects again: 20 % instead of V8's default factor of 1.1–4 ×, which it picks from how fast
 * memory is allocated. Under load almost everything the server promotes is dead by the next
 * collection (a request's objects outlive a scavenge only while its reply or its history batch
 * is pending), so the default let the heap grow to ~120 MB of garbage and the server to 230 MB
 * RSS in case 1 of `npm run bench`; with 20 % it stays near 150 MB at the same throughput
 * (docs/performance.md). It is a growth rate, not a cap: a large live heap still fits.
 */
const HEAP_GROWING_PERCENT = 20

/** Called once when the server starts, before the load that would grow the heap. */
export function tuneHeap (): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
}
