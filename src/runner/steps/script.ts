import { checkScriptSyntax, runScript, ScriptError } from '../script-sandbox.js'
import { TemplateError } from '../templates.js'
import { variableNameProblem } from '../variable-name.js'
import type { StepKind } from './step-kind.js'

interface ScriptConfig { source: string, memoryMb: number }

type RawScript = string | { file: string, source?: string }

/**
 * `{ "script": "return { n: vars.body.items.length }" }` or `{ "script": { "file": "x.js" } }`:
 * JavaScript in isolated-vm. It gets a copy of the variables as `vars` and returns an object
 * whose keys are merged into them; anything else fails the step.
 */
export const scriptStep: StepKind<{ script: RawScript, memoryMb?: number }, ScriptConfig> = {
  kind: 'script',
  compile (raw, context, path) {
    // A `{file}` script was read when the config loaded (see load-config).
    const source = typeof raw.script === 'string' ? raw.script : raw.script.source
    if (source === undefined) throw new TemplateError(`${path}.script`, 'script file was not loaded')
    try {
      checkScriptSyntax(source)
    } catch (err) {
      throw new TemplateError(`${path}.script`, (err as Error).message)
    }
    return { source, memoryMb: raw.memoryMb ?? context.defaults.scriptMemoryMb }
  },
  async run (config, { vars, deadline }) {
    const result = await runScript(config.source, vars, { memoryMb: config.memoryMb, timeoutMs: deadline - Date.now() })
    if (result === null || typeof result !== 'object' || Array.isArray(result)) {
      throw new ScriptError(`script must return an object of variables, got ${result === null ? 'null' : Array.isArray(result) ? 'an array' : typeof result}`)
    }
    // Plain JSON data only: whatever else the sandbox handed back does not travel between processes.
    const assigned = JSON.parse(JSON.stringify(result)) as Record<string, unknown>
    for (const name of Object.keys(assigned)) {
      if (variableNameProblem(name) !== undefined) throw new ScriptError(`script returned an invalid variable name: ${JSON.stringify(name)}`)
    }
    for (const [name, value] of Object.entries(assigned)) vars[name] = value
    return { type: 'next', output: assigned }
  }
}
