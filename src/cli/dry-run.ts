import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { compileOptionsOf } from '../config/runner.js'
import { loadConfig } from '../config/load-config.js'
import { createEgress } from '../egress/egress.js'
import { createHttpStepClient } from '../egress/http-step-client.js'
import { createHostExecutor } from '../runner/hosts/host-executor.js'
import { createIoPerformer } from '../runner/io.js'
import { runScenario } from '../runner/run-scenario.js'
import { outputOf } from '../runs/reply.js'

export const RUN_HELP = `hookflow run SCENARIO --input FILE [--config FILE] [--allow-http]
  A dry run of one scenario on the input in FILE (JSON: the variables, e.g. {"body": {…}}):
  prints the step log and the output variables. Nothing is served or written; emit and record
  steps fail; http steps fail unless --allow-http. Exit 1 when the run does not succeed.`

const refuse = (what: string) => async (): Promise<never> => { throw new Error(`${what} is not performed in a dry run`) }

export async function runCommand (argv: string[], configFallback: string, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { input: { type: 'string' }, config: { type: 'string' }, 'allow-http': { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true
  })
  const scenario = positionals[0]
  if (scenario === undefined || values.input === undefined) {
    out(RUN_HELP)
    return 2
  }
  const loaded = loadConfig(values.config ?? configFallback)
  const compiled = loaded.scenarios.get(scenario)
  if (compiled === undefined) {
    out(`unknown scenario "${scenario}"; the config has: ${[...loaded.scenarios.keys()].join(', ')}`)
    return 2
  }
  const input = JSON.parse(readFileSync(values.input, 'utf8')) as Record<string, unknown>
  const { runner, scenarios } = loaded.config
  const executor = createHostExecutor({ size: 1, heapMb: runner.hostHeapMb, setup: { scenarios, compile: compileOptionsOf(runner), limits: { maxResultBytes: runner.maxResultBytes, maxLogEntries: runner.maxLogEntries } } })
  const egress = values['allow-http'] ? createEgress(loaded.config.egress) : undefined
  try {
    await executor.ready()
    const outcome = await runScenario({
      executor,
      io: createIoPerformer({
        http: egress === undefined ? refuse('http (pass --allow-http)') : createHttpStepClient(egress),
        emit: refuse('emit'),
        record: refuse('record')
      })
    }, { scenario, vars: input, deadline: Date.now() + (compiled.timeoutMs ?? 300_000), run: { runId: 0, depth: 0, endpoint: null } })
    for (const step of outcome.log) {
      out(`${step.status.padEnd(9)} ${step.kind.padEnd(7)} ${step.name ?? step.path}  ${step.durationMs} ms${step.error === undefined ? '' : `  ${step.error}`}`)
    }
    out(`status: ${outcome.status}`)
    if (outcome.error !== undefined) out(`error: ${outcome.error.message}`)
    out(`output: ${JSON.stringify(outputOf(outcome.vars), null, 2)}`)
    return outcome.status === 'succeeded' ? 0 : 1
  } finally {
    await executor.close()
    await egress?.close()
  }
}
