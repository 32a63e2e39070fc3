import { ConfigError, loadConfig } from '../config/load-config.js'

export const CHECK_CONFIG_HELP = `hookflow check-config FILE
  Validates a config file without starting anything: every problem with its field path.
  Exit 0 when it is valid, 1 otherwise.`

export async function checkConfigCommand (argv: string[], out: (line: string) => void): Promise<number> {
  const file = argv[0]
  if (file === undefined) {
    out(CHECK_CONFIG_HELP)
    return 2
  }
  try {
    const { config, source } = loadConfig(file)
    out(`${source}: valid — ${Object.keys(config.scenarios).length} scenarios, ${config.webrequests.length} web requests, ${config.events.length} events, ${Object.keys(config.collections).length} collections, ${config.workflows.length} workflows`)
    return 0
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    out(`${err.source}: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}`)
    for (const problem of err.problems) out(`  ${problem}`)
    return 1
  }
}
