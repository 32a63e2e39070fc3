import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { compileScenarios } from '../runner/compile-scenario.js'
import { TemplateError } from '../runner/templates.js'
import type { CompiledScenario } from '../runner/types.js'
import { formatIssues } from './format-issues.js'
import { compileOptionsOf } from './runner.js'
import { HookflowConfig } from './schema.js'
import { loadScriptFiles } from './script-files.js'
import { withSecretEnv } from './secret.js'

export class ConfigError extends Error {
  constructor (readonly source: string, readonly problems: string[]) {
    super(`invalid config ${source}:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

export interface LoadedConfig {
  config: HookflowConfig
  /** Absolute path of the file, or a label for configs built in memory. */
  source: string
  /** Folder that relative paths in the config are resolved against. */
  dir: string
  scenarios: Map<string, CompiledScenario>
}

type Env = Record<string, string | undefined>

/**
 * `HOOKFLOW_PORT`, `HOOKFLOW_HOST`, `HOOKFLOW_DB`, `HOOKFLOW_DATABASE_URL` win over the file, and are
 * validated with it.
 */
function applyEnvOverrides (raw: unknown, env: Env): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw
  const config = { ...raw as Record<string, unknown> }
  const section = (name: string): Record<string, unknown> => {
    const current = config[name]
    const copy = current !== null && typeof current === 'object' && !Array.isArray(current) ? { ...current as object } : {}
    config[name] = copy
    return copy
  }
  if (env.HOOKFLOW_PORT !== undefined && env.HOOKFLOW_PORT !== '') {
    section('server').port = /^\d+$/.test(env.HOOKFLOW_PORT) ? Number(env.HOOKFLOW_PORT) : env.HOOKFLOW_PORT
  }
  if (env.HOOKFLOW_HOST !== undefined && env.HOOKFLOW_HOST !== '') section('server').host = env.HOOKFLOW_HOST
  if (env.HOOKFLOW_DB !== undefined && env.HOOKFLOW_DB !== '') section('database').path = env.HOOKFLOW_DB
  if (env.HOOKFLOW_DATABASE_URL !== undefined && env.HOOKFLOW_DATABASE_URL !== '') section('database').url = env.HOOKFLOW_DATABASE_URL
  return config
}

/** Validates a config object and compiles its scenarios; throws ConfigError naming each bad field. */
export function parseConfig (raw: unknown, options: { source?: string, dir?: string, env?: Env } = {}): LoadedConfig {
  const source = options.source ?? '(inline config)'
  const env = options.env ?? process.env
  const result = withSecretEnv(env, () => HookflowConfig.safeParse(applyEnvOverrides(raw, env)))
  if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues))
  const dir = options.dir ?? process.cwd()
  const scriptProblems = loadScriptFiles(result.data, dir)
  if (scriptProblems.length > 0) throw new ConfigError(source, scriptProblems)
  try {
    return { config: result.data, source, dir, scenarios: compileScenarios(result.data.scenarios, compileOptionsOf(result.data.runner)) }
  } catch (err) {
    if (err instanceof TemplateError) throw new ConfigError(source, [`${err.path}: ${err.message}`])
    throw err
  }
}

export function loadConfig (file: string, env: Env = process.env): LoadedConfig {
  const path = resolve(file)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ConfigError(path, [`cannot read file: ${(err as Error).message}`])
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new ConfigError(path, [`not valid JSON: ${(err as Error).message}`])
  }
  return parseConfig(raw, { source: path, dir: dirname(path), env })
}

/** `--config F`, else `HOOKFLOW_CONFIG`, else the fallback (config.example.json for `npm start`). */
export function resolveConfigPath (argv: string[], env: Env, fallback: string): string {
  const flag = argv.indexOf('--config')
  if (flag !== -1 && argv[flag + 1] !== undefined) return argv[flag + 1]
  const inline = argv.find((arg) => arg.startsWith('--config='))
  if (inline !== undefined) return inline.slice('--config='.length)
  if (env.HOOKFLOW_CONFIG !== undefined && env.HOOKFLOW_CONFIG !== '') return env.HOOKFLOW_CONFIG
  return fallback
}
