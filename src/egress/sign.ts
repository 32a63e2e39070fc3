import { createHmac, randomUUID } from 'node:crypto'

/**
 * Standard Webhooks signature headers for an outbound call, so the receiver can check it came
 * from us: HMAC-SHA256 over `<id>.<timestamp>.<body>` with the base64 key after `whsec_`.
 */
export function standardWebhookHeaders (secret: string, body: string, id = `msg_${randomUUID().replace(/-/g, '')}`, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` }
}
