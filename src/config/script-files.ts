import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { forEachStep } from '../runner/walk-steps.js'
import type { HookflowConfig } from './schema.js'

/**
 * Reads every `{ "script": { "file": … } }` (relative to the config file) into the step, so the
 * evaluation hosts get the source with the scenarios. Returns the problems, by field path.
 */
export function loadScriptFiles (config: HookflowConfig, dir: string): string[] {
  const problems: string[] = []
  for (const [name, scenario] of Object.entries(config.scenarios)) {
    forEachStep(scenario.steps, `scenarios.${name}.steps`, (step, path) => {
      const script = step.script as { file?: string, source?: string } | undefined
      if (script === null || typeof script !== 'object' || typeof script.file !== 'string') return
      const file = resolve(dir, script.file)
      try {
        script.source = readFileSync(file, 'utf8')
      } catch (err) {
        problems.push(`${path}.script.file: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
      }
    })
  }
  return problems
}
