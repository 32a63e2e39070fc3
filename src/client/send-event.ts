import { eventSignature } from '../dialects/event/signature.js'

export interface SendEventOptions {
  /** The server's base URL, e.g. `http://host:3234`. */
  url: string
  name: string
  data?: string
  /** The event's token; without one the call is unsigned (accepted from local addresses only). */
  token?: string
  /** Hold the connection and get the scenario's reply instead of `{success, port, id}`. */
  wait?: boolean
}

export interface SendEventResult {
  status: number
  body: unknown
}

/**
 * Starts a named event on a hookflow server: fetches a one-time id, signs
 * `name + data + rand + token` and posts the call, so nobody computes the hash by hand.
 */
export async function sendEvent (options: SendEventOptions): Promise<SendEventResult> {
  const base = options.url.replace(/\/+$/, '')
  const data = options.data ?? ''
  const call: Record<string, string> = { name: options.name, data }
  if (options.token !== undefined) {
    const issued = await fetch(`${base}/api/randid`)
    const randReply = await issued.json() as { rand?: string, error?: string }
    if (!issued.ok || typeof randReply.rand !== 'string') {
      return { status: issued.status, body: { success: false, error: randReply.error ?? `GET /api/randid answered ${issued.status}` } }
    }
    call.rand = randReply.rand
    call.sign = eventSignature(options.name, data, randReply.rand, options.token)
  }
  const res = await fetch(`${base}/api/event${options.wait === true ? '?wait=true' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(call)
  })
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {}
  return { status: res.status, body }
}
