import { createRequire } from 'node:module'
import type IsolatedVm from 'isolated-vm'

/**
 * User JavaScript in isolated-vm: a separate V8 isolate with its own heap cap, no `require`,
 * `process`, timers or host objects — only a copy of the variables goes in and a copy of the
 * result comes out. Each run gets a fresh isolate, so changes to globals or prototypes do not
 * outlive it. Loaded lazily: only processes that meet a script step pay for it.
 */
const require = createRequire(import.meta.url)
let ivm: typeof IsolatedVm | undefined
const load = (): typeof IsolatedVm => (ivm ??= require('isolated-vm') as typeof IsolatedVm)

/** The user's code is a function body: `return { … }`. */
export const wrapScript = (source: string): string => `(function (vars) {\n${source}\n})`

export class ScriptError extends Error {}

/** Compiles without running, so a syntax error is reported when the config loads. */
export function checkScriptSyntax (source: string): void {
  const isolate = new (load().Isolate)({ memoryLimit: 8 })
  try {
    isolate.compileScriptSync(wrapScript(source))
  } catch (err) {
    throw new ScriptError(`script does not compile: ${(err as Error).message}`)
  } finally {
    isolate.dispose()
  }
}

export interface ScriptLimits {
  memoryMb: number
  timeoutMs: number
}

/**
 * Runs a script body with `vars` and returns what it returned, as plain data. Every run gets a
 * fresh isolate (about 2.5 ms): nothing a script does — globals, prototypes, a pending dynamic
 * import — can reach the next one.
 */
export async function runScript (source: string, vars: unknown, limits: ScriptLimits): Promise<unknown> {
  if (limits.timeoutMs <= 0) throw new ScriptError('no time left to run the script')
  const isolate = new (load().Isolate)({ memoryLimit: limits.memoryMb })
  const started = Date.now()
  try {
    const script = await isolate.compileScript(wrapScript(source))
    const context = await isolate.createContext()
    const fn = await script.run(context, { timeout: limits.timeoutMs, reference: true }) as IsolatedVm.Reference
    const remaining = Math.max(1, limits.timeoutMs - (Date.now() - started))
    return await fn.apply(undefined, [vars], { timeout: remaining, arguments: { copy: true }, result: { copy: true } })
  } catch (err) {
    if (isolate.isDisposed) throw new ScriptError(`script exceeded its memory limit of ${limits.memoryMb} MB`)
    const message = (err as Error).message ?? String(err)
    if (message === 'Script execution timed out.') throw new ScriptError(`script ran out of time (${limits.timeoutMs} ms)`)
    throw new ScriptError(`script threw: ${message}`)
  } finally {
    if (!isolate.isDisposed) isolate.dispose()
  }
}
