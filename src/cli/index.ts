#!/usr/bin/env node
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { resolveConfigPath } from '../config/load-config.js'
import { serve } from '../serve.js'
import { packageRoot } from '../storage/package-root.js'
import { CHECK_CONFIG_HELP, checkConfigCommand } from './check-config.js'
import { backupCommand, DATABASE_HELP, migrateCommand, vacuumCommand } from './database-commands.js'
import { RUN_HELP, runCommand } from './dry-run.js'
import { RUNS_HELP, runsCommand } from './runs.js'
import { SEND_EVENT_HELP, sendEventCommand } from './send-event.js'
import { SIGN_HELP, signCommand } from './sign.js'
import { SERVER_NODE_FLAGS } from '../node-flags.js'

const SERVE_HELP = `hookflow serve [--config FILE] [--port N] [--watch]
  Starts the server (as npm start does) and prints every entry point with a curl line.
  SIGHUP (or, with --watch, saving the config file) reloads the config.`

const HELP = `hookflow — webhook-to-workflow server

${SERVE_HELP}

${CHECK_CONFIG_HELP}

${RUN_HELP}

${SEND_EVENT_HELP}

${SIGN_HELP}

${RUNS_HELP}

${DATABASE_HELP}

--config defaults to HOOKFLOW_CONFIG, then config.example.json.`

/** isolated-vm must be loaded in a process started with --no-node-snapshot: restart ourselves with the server's flags. */
function relaunchWithFlag (): void {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => { process.exitCode = code ?? (signal === null ? 1 : 128) })
}

/** Dispatches `hookflow <command> …`; the environment is read here and handed down. */
async function main (argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv
  const out = (line: string): void => { process.stdout.write(`${line}\n`) }
  const configFallback = resolveConfigPath([], process.env, join(packageRoot(), 'config.example.json'))
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { config: { type: 'string' }, port: { type: 'string' }, watch: { type: 'boolean', default: false } }, strict: true })
      const result = await serve({ configFile: values.config ?? configFallback, port: values.port === undefined ? undefined : Number(values.port), watch: values.watch, out })
      return typeof result === 'number' ? result : undefined
    }
    case 'check-config': return await checkConfigCommand(rest, out)
    case 'run': return await runCommand(rest, configFallback, out)
    case 'send-event': return await sendEventCommand(rest, process.env, out)
    case 'sign': return await signCommand(rest, process.env, out, (path) => readFileSync(path, 'utf8'))
    case 'runs': return await runsCommand(rest, process.env, out)
    case 'migrate': return await migrateCommand(rest, configFallback, out)
    case 'backup': return await backupCommand(rest, configFallback, out)
    case 'vacuum': return await vacuumCommand(rest, configFallback, out)
    case undefined: case '--help': case '-h': case 'help':
      out(HELP)
      return command === undefined ? 2 : 0
    default:
      process.stderr.write(`hookflow: unknown command "${command}"\n\n${HELP}\n`)
      return 2
  }
}

if (!process.execArgv.includes('--no-node-snapshot')) {
  relaunchWithFlag()
} else {
  main(process.argv.slice(2)).then((code) => { if (code !== undefined) process.exitCode = code }, (err: unknown) => {
    process.stderr.write(`hookflow: ${(err as Error).message}\n`)
    process.exitCode = 1
  })
}
