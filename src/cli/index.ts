#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { SEND_EVENT_HELP, sendEventCommand } from './send-event.js'
import { SIGN_HELP, signCommand } from './sign.js'

const HELP = `hookflow — webhook-to-workflow server

Commands:
${SEND_EVENT_HELP}

${SIGN_HELP}

The server itself: npm start (or node --no-node-snapshot dist/src/server.js --config FILE).`

/** Dispatches `hookflow <command> …`; the environment is read here and handed down. */
async function main (argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const out = (line: string): void => { process.stdout.write(`${line}\n`) }
  switch (command) {
    case 'send-event': return await sendEventCommand(rest, process.env, out)
    case 'sign': return await signCommand(rest, process.env, out, (path) => readFileSync(path, 'utf8'))
    case undefined: case '--help': case '-h': case 'help':
      out(HELP)
      return command === undefined ? 2 : 0
    default:
      process.stderr.write(`hookflow: unknown command "${command}"\n\n${HELP}\n`)
      return 2
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code }, (err: unknown) => {
  process.stderr.write(`hookflow: ${(err as Error).message}\n`)
  process.exitCode = 1
})
