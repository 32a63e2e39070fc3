import { parseArgs } from 'node:util'
import { eventSignature } from '../dialects/event/signature.js'

export const SIGN_HELP = `hookflow sign --name NAME --rand RAND [--data TEXT] (--token TOKEN | --token-file FILE)
  Prints the event signature: lowercase hex SHA-256 of name + data + rand + token.`

export async function signCommand (argv: string[], env: Record<string, string | undefined>, out: (line: string) => void, readFile: (path: string) => string): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { name: { type: 'string' }, data: { type: 'string', default: '' }, rand: { type: 'string' }, token: { type: 'string' }, 'token-file': { type: 'string' } },
    strict: true
  })
  const token = values['token-file'] !== undefined ? readFile(values['token-file']).replace(/\r?\n$/, '') : env.HOOKFLOW_EVENT_TOKEN ?? values.token
  if (values.name === undefined || values.rand === undefined || token === undefined) {
    out(SIGN_HELP)
    return 2
  }
  out(eventSignature(values.name, values.data, values.rand, token))
  return 0
}
