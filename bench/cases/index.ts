import { asyncIntake } from './async-intake.js'
import { asyncIntakePostgres } from './async-intake-postgres.js'
import type { BenchCase } from './bench-case.js'
import { collectionCreate } from './collection-create.js'
import { runsCatalog } from './runs-catalog.js'
import { signedEvent } from './signed-event.js'
import { syncJsonata } from './sync-jsonata.js'
import { syncSetBody } from './sync-set-body.js'
import { syncUnderSpin } from './sync-under-spin.js'

export type { BenchCase } from './bench-case.js'

/** In the spec's order. A new case is a file here plus its endpoints in bench/config.json. */
export const cases: BenchCase[] = [syncSetBody, syncJsonata, asyncIntake, signedEvent, collectionCreate, syncUnderSpin, runsCatalog,
  asyncIntakePostgres]
