import type { VerifyConfig } from '../config/inbound.js'
import { digestMatches, fresh, hmac } from './compare.js'

export type Headers = Record<string, string | string[] | undefined>
export type Verdict = { ok: true } | { ok: false, reason: string }

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

const OK: Verdict = { ok: true }
const missing = (name: string): Verdict => ({ ok: false, reason: `missing ${name} header` })
const mismatch: Verdict = { ok: false, reason: 'signature does not match' }
const stale: Verdict = { ok: false, reason: 'timestamp is missing or outside the tolerance' }

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`; no timestamp. */
function github (config: VerifyConfig, headers: Headers, body: Buffer): Verdict {
  const sent = header(headers, 'x-hub-signature-256')
  if (sent === undefined) return missing('X-Hub-Signature-256')
  if (!sent.startsWith('sha256=')) return mismatch
  return config.secrets.some((secret) => digestMatches(sent.slice(7), hmac('sha256', secret, body), 'hex')) ? OK : mismatch
}

/** Stripe: `Stripe-Signature: t=<unix>,v1=<hex HMAC(secret, "t.body")>[,v1=…]`. */
function stripe (config: VerifyConfig, headers: Headers, body: Buffer): Verdict {
  const sent = header(headers, 'stripe-signature')
  if (sent === undefined) return missing('Stripe-Signature')
  const parts = sent.split(',').map((part) => part.trim().split('='))
  const timestamp = parts.find(([key]) => key === 't')?.[1]
  if (!fresh(timestamp, config.toleranceSec)) return stale
  const candidates = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '')
  const payload = Buffer.concat([Buffer.from(`${timestamp}.`), body])
  return config.secrets.some((secret) => {
    const expected = hmac('sha256', secret, payload)
    return candidates.some((candidate) => digestMatches(candidate, expected, 'hex'))
  }) ? OK : mismatch
}

/** Slack: `X-Slack-Signature: v0=<hex HMAC(secret, "v0:ts:body")>` with `X-Slack-Request-Timestamp`. */
function slack (config: VerifyConfig, headers: Headers, body: Buffer): Verdict {
  const sent = header(headers, 'x-slack-signature')
  if (sent === undefined) return missing('X-Slack-Signature')
  const timestamp = header(headers, 'x-slack-request-timestamp')
  if (!fresh(timestamp, config.toleranceSec)) return stale
  if (!sent.startsWith('v0=')) return mismatch
  const payload = Buffer.concat([Buffer.from(`v0:${timestamp}:`), body])
  return config.secrets.some((secret) => digestMatches(sent.slice(3), hmac('sha256', secret, payload), 'hex')) ? OK : mismatch
}

/** Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> …`, key after `whsec_`. */
function standardWebhooks (config: VerifyConfig, headers: Headers, body: Buffer): Verdict {
  const id = header(headers, 'webhook-id')
  const timestamp = header(headers, 'webhook-timestamp')
  const sent = header(headers, 'webhook-signature')
  if (id === undefined) return missing('webhook-id')
  if (sent === undefined) return missing('webhook-signature')
  if (!fresh(timestamp, config.toleranceSec)) return stale
  const candidates = sent.split(' ').map((entry) => entry.split(',')).filter(([version]) => version === 'v1').map(([, value]) => value ?? '')
  const payload = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body])
  return config.secrets.some((secret) => {
    const expected = hmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64'), payload)
    return candidates.some((candidate) => digestMatches(candidate, expected, 'base64'))
  }) ? OK : mismatch
}

/** Any sender that puts `prefix + encode(HMAC(secret, body))` in one header. */
function genericHmac (config: VerifyConfig, headers: Headers, body: Buffer): Verdict {
  const name = config.header!
  const sent = header(headers, name)
  if (sent === undefined) return missing(name)
  if (!sent.startsWith(config.prefix)) return mismatch
  const value = sent.slice(config.prefix.length)
  return config.secrets.some((secret) => digestMatches(value, hmac(config.algorithm, secret, body), config.encoding)) ? OK : mismatch
}

const SCHEMES: Record<VerifyConfig['scheme'], (config: VerifyConfig, headers: Headers, body: Buffer) => Verdict> = {
  github,
  stripe,
  slack,
  'standard-webhooks': standardWebhooks,
  hmac: genericHmac
}

/**
 * Checks a request's signature over the exact bytes received. The verdict names what is wrong
 * (missing header, stale timestamp, no match) and never the signature that was expected.
 */
export function verifySignature (config: VerifyConfig, headers: Headers, body: Buffer): Verdict {
  return SCHEMES[config.scheme](config, headers, body)
}
