import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { sendEvent } from '../client/send-event.js'

export const SEND_EVENT_HELP = `hookflow send-event --url URL --name NAME [--data TEXT | --data @FILE] [--wait]
                   [--token-file FILE | --token TOKEN]
  Starts an event: fetches a one-time id, signs name + data + rand + token, posts it and prints
  the JSON reply. Exits 1 when the reply says success: false.
  The token comes from --token-file, else HOOKFLOW_EVENT_TOKEN, else --token (visible to ps:
  avoid it on shared machines). Without a token the call is unsigned (local callers only).`

/** `--data @file` reads the file; anything else is the data itself. */
function readData (value: string | undefined): string {
  if (value === undefined) return ''
  return value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value
}

export async function sendEventCommand (argv: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      name: { type: 'string' },
      data: { type: 'string' },
      wait: { type: 'boolean', default: false },
      token: { type: 'string' },
      'token-file': { type: 'string' }
    },
    strict: true
  })
  if (values.url === undefined || values.name === undefined) {
    out(SEND_EVENT_HELP)
    return 2
  }
  const token = values['token-file'] !== undefined
    ? readFileSync(values['token-file'], 'utf8').replace(/\r?\n$/, '')
    : env.HOOKFLOW_EVENT_TOKEN ?? values.token
  const result = await sendEvent({ url: values.url, name: values.name, data: readData(values.data), token, wait: values.wait })
  out(typeof result.body === 'string' ? result.body : JSON.stringify(result.body))
  const failed = result.status >= 400 || (result.body as { success?: unknown } | null)?.success === false
  return failed ? 1 : 0
}
