import { createHmac } from 'node:crypto'
import { sign as githubSign } from '@octokit/webhooks-methods'
import { Webhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { VerifyConfig } from '../../src/config/inbound.js'
import { verifySignature } from '../../src/verify/schemes.js'

const config = (raw: Record<string, unknown>) => VerifyConfig.parse(raw)
const body = Buffer.from('{"action":"opened","n":1}')
const tamper = (b: Buffer): Buffer => Buffer.concat([b.subarray(0, b.length - 2), Buffer.from('2}')])
const now = (): number => Math.floor(Date.now() / 1000)

describe('github', () => {
  const github = config({ scheme: 'github', secrets: ['old-secret', "It's a Secret to Everybody"] })
  it('accepts the published vector and @octokit/webhooks-methods, with either rotated secret', async () => {
    const vector = { 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' }
    expect(verifySignature(github, vector, Buffer.from('Hello, World!'))).toEqual({ ok: true })
    expect(verifySignature(github, { 'x-hub-signature-256': await githubSign('old-secret', body.toString()) }, body)).toEqual({ ok: true })
  })
  it('rejects a changed byte, a wrong secret and a missing header', async () => {
    const signature = await githubSign('old-secret', body.toString())
    expect(verifySignature(github, { 'x-hub-signature-256': signature }, tamper(body))).toEqual({ ok: false, reason: 'signature does not match' })
    expect(verifySignature(github, { 'x-hub-signature-256': await githubSign('other', body.toString()) }, body).ok).toBe(false)
    expect(verifySignature(github, {}, body)).toEqual({ ok: false, reason: 'missing X-Hub-Signature-256 header' })
    expect(verifySignature(github, { 'x-hub-signature-256': 'sha256=zz' }, body).ok).toBe(false)
  })
})

describe('stripe', () => {
  const stripeConfig = config({ scheme: 'stripe', secrets: ['whsec_rotated', 'whsec_stripe_test'] })
  const stripe = new Stripe('sk_test_unused')
  const header = (payload: string, timestamp?: number) => stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_stripe_test', timestamp })
  it('accepts the library’s header', () => {
    expect(verifySignature(stripeConfig, { 'stripe-signature': header(body.toString()) }, body)).toEqual({ ok: true })
  })
  it('rejects tampering, expired and future timestamps, and a missing header', () => {
    expect(verifySignature(stripeConfig, { 'stripe-signature': header(body.toString()) }, tamper(body)).ok).toBe(false)
    expect(verifySignature(stripeConfig, { 'stripe-signature': header(body.toString(), now() - 301) }, body)).toEqual({ ok: false, reason: 'timestamp is missing or outside the tolerance' })
    expect(verifySignature(stripeConfig, { 'stripe-signature': header(body.toString(), now() + 301) }, body).ok).toBe(false)
    expect(verifySignature(stripeConfig, {}, body).ok).toBe(false)
  })
  it('accepts any of several v1 signatures', () => {
    const good = header(body.toString())
    const [t, v1] = good.split(',')
    expect(verifySignature(stripeConfig, { 'stripe-signature': `${t},v1=${'0'.repeat(64)},${v1}` }, body)).toEqual({ ok: true })
  })
})

describe('slack', () => {
  const slack = config({ scheme: 'slack', secrets: ['slack-signing-secret'] })
  const signed = (timestamp: number, payload: Buffer = body) =>
    ({ 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${createHmac('sha256', 'slack-signing-secret').update(`v0:${timestamp}:${payload.toString()}`).digest('hex')}` })
  it('accepts a signature made as Slack documents it', () => {
    expect(verifySignature(slack, signed(now()), body)).toEqual({ ok: true })
  })
  it('rejects tampering, an old timestamp and a missing header', () => {
    expect(verifySignature(slack, signed(now()), tamper(body)).ok).toBe(false)
    expect(verifySignature(slack, signed(now() - 400), body).ok).toBe(false)
    expect(verifySignature(slack, { 'x-slack-request-timestamp': String(now()) }, body).ok).toBe(false)
  })
})

describe('standard webhooks', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
  const standard = config({ scheme: 'standard-webhooks', secrets: [secret], toleranceSec: 300 })
  it('accepts the published vector (inside a wide tolerance) and the library’s signature', () => {
    const vector = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' }
    const wide = config({ scheme: 'standard-webhooks', secrets: [secret], toleranceSec: 86_400 })
    expect(verifySignature(wide, vector, Buffer.from('{"test": 2432232314}')).ok).toBe(false)
    const ancient = { ...wide, toleranceSec: Math.ceil(Date.now() / 1000 - 1614265330) + 60 }
    expect(verifySignature(ancient, vector, Buffer.from('{"test": 2432232314}'))).toEqual({ ok: true })
    const id = 'msg_123'
    const at = new Date()
    const signature = new Webhook(secret).sign(id, at, body.toString())
    expect(verifySignature(standard, { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature }, body)).toEqual({ ok: true })
  })
  it('rejects tampering, an expired timestamp and missing headers', () => {
    const at = new Date(Date.now() - 600_000)
    const signature = new Webhook(secret).sign('msg_1', at, body.toString())
    expect(verifySignature(standard, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature }, body).ok).toBe(false)
    const fresh = new Date()
    const good = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(Math.floor(fresh.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_2', fresh, body.toString()) }
    expect(verifySignature(standard, good, tamper(body)).ok).toBe(false)
    expect(verifySignature(standard, { ...good, 'webhook-id': undefined }, body)).toEqual({ ok: false, reason: 'missing webhook-id header' })
  })
})

describe('generic hmac', () => {
  it.each([
    ['sha1', 'hex', ''], ['sha256', 'base64', 'sig='], ['sha512', 'hex', 'v=']
  ] as const)('%s / %s with prefix "%s"', (algorithm, encoding, prefix) => {
    const hmac = config({ scheme: 'hmac', secrets: ['s3cret'], header: 'X-Signature', algorithm, encoding, prefix })
    const value = prefix + createHmac(algorithm, 's3cret').update(body).digest(encoding)
    expect(verifySignature(hmac, { 'x-signature': value }, body)).toEqual({ ok: true })
    expect(verifySignature(hmac, { 'x-signature': value }, tamper(body)).ok).toBe(false)
    expect(verifySignature(hmac, {}, body)).toEqual({ ok: false, reason: 'missing X-Signature header' })
  })
})
