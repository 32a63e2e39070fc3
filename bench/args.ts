import { parseArgs } from 'node:util'

export interface BenchOptions {
  rounds: number
  durationSec: number
  warmupSec: number
  connections: number
  quick: boolean
  /** Case numbers to run, in the spec's order (all by default). */
  cases: number[]
}

const USAGE = 'usage: npm run bench -- [--cases 1,3] [--rounds N] [--duration S] [--warmup S] [--connections C] [--quick]'

function positiveInt (name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"\n${USAGE}`)
  return value
}

function caseList (raw: string | undefined, known: number[]): number[] {
  if (raw === undefined) return known
  const picked = raw.split(',').map((part) => part.trim()).filter((part) => part !== '').map(Number)
  const unknown = picked.filter((id) => !known.includes(id))
  if (picked.length === 0 || unknown.length > 0) {
    throw new Error(`--cases takes case numbers among ${known.join(',')}, got "${raw}"\n${USAGE}`)
  }
  return known.filter((id) => picked.includes(id))
}

/** `--quick` only changes the defaults, so `--quick --rounds 2` still means two rounds. */
export function parseBenchArgs (argv: string[], knownCases: number[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false }
    },
    strict: true
  })
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`)
    process.exit(0)
  }
  const quick = values.quick === true
  return {
    rounds: positiveInt('rounds', values.rounds, quick ? 1 : 4),
    durationSec: positiveInt('duration', values.duration, quick ? 2 : 5),
    warmupSec: positiveInt('warmup', values.warmup, quick ? 1 : 2),
    connections: positiveInt('connections', values.connections, 50),
    quick,
    cases: caseList(values.cases, knownCases)
  }
}
