import { toError } from '../../errors.js'
import { compileScenarios } from '../compile-scenario.js'
import { runSegment, withLimits } from '../interpreter.js'
import type { CompiledScenario } from '../types.js'
import type { FromHost, HostSetup, ToHost } from './protocol.js'

/**
 * An evaluation host: a child process that evaluates the scenario segments the server hands it
 * (a few at once, interleaved where JSONata awaits). The server kills it at a run's deadline; a
 * heap overflow aborts only this process.
 */
let scenarios: Map<string, CompiledScenario> | undefined
let setup: HostSetup | undefined

const send = (message: FromHost): void => { process.send?.(message) }

process.on('message', (message: ToHost) => {
  if (message.type === 'setup') {
    try {
      setup = message.setup
      scenarios = compileScenarios(setup.scenarios, setup.compile)
      send({ type: 'ready' })
    } catch (err) {
      send({ type: 'setup-failed', error: (err as Error).message })
    }
    return
  }
  const { id, task } = message
  const scenario = scenarios?.get(task.scenario)
  if (scenario === undefined) {
    send({ type: 'error', id, error: `unknown scenario "${task.scenario}"` })
    return
  }
  runSegment(scenario, task.state, withLimits(task.options, setup?.limits)).then(
    (result) => send({ type: 'result', id, result }),
    (err: unknown) => send({ type: 'error', id, error: toError(err).message })
  )
})

// Without its server a host has no purpose: leave with it.
process.on('disconnect', () => process.exit(0))
