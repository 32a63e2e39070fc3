import type { BenchCase } from './bench-case.js'
import { syncSetBody } from './sync-set-body.js'

export type { BenchCase } from './bench-case.js'

/** Every case runs against every target; a new case is a file here plus its endpoint in bench/config.json. */
export const cases: BenchCase[] = [syncSetBody]
