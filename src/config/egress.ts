import { z } from 'zod'
import { SecretConfig } from './secret.js'
import { CidrEntry } from './server.js'

const UrlPattern = z.string().min(1).superRefine((pattern, ctx) => {
  try {
    new RegExp(pattern) // eslint-disable-line no-new
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` })
  }
})

export const EGRESS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

export const ServiceConfig = z.object({
  /** Regular expression over the whole normalised URL (anchored for you). */
  match: UrlPattern,
  /** Sent as `Authorization: Bearer …` to matching URLs only. */
  token: SecretConfig,
  /** 2: the reply passes through; 1: the service answers `{status, body}`, which is unwrapped. */
  protocol: z.union([z.literal(1), z.literal(2)]).default(2)
}).strict()

/** Outbound HTTP, for `http` steps and `/api/proxy`: denied unless every rule here allows it. */
export const EgressConfig = z.object({
  /** Regular expressions matched against the whole normalised URL (they are anchored for you). */
  allow: z.array(UrlPattern).default([]),
  methods: z.array(z.enum(EGRESS_METHODS)).min(1).default(['GET', 'POST', 'PUT', 'DELETE']),
  ports: z.array(z.number().int().min(1).max(65535)).min(1).default([80, 443]),
  /** Request body types that may go out; `type/*` allows a whole family. */
  contentTypes: z.array(z.string().regex(/^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/i, 'must be type/subtype or type/*')).default([
    'application/x-www-form-urlencoded', 'application/json', 'application/xml', 'text/*', 'image/*', 'multipart/form-data'
  ]),
  /** Addresses the SSRF guard lets through although they are private, loopback, … */
  allowNetworks: z.array(CidrEntry).default([]),
  /** Follow up to this many redirects, each hop checked again; 0 follows none. */
  followRedirects: z.union([z.boolean(), z.number().int().min(0).max(20)]).default(false)
    .transform((value) => value === true ? 5 : value === false ? 0 : value),
  timeoutMs: z.number().int().positive().max(60_000).default(10_000),
  maxResponseBytes: z.number().int().positive().default(10 * 1024 * 1024),
  /** Static headers added to every outbound call. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name'), z.string()).default({}),
  services: z.array(ServiceConfig).default([]),
  /** Adds Standard Webhooks signature headers to every outbound call. */
  sign: z.object({ secret: SecretConfig.refine((secret) => /^whsec_[A-Za-z0-9+/=]+$/.test(secret), { message: 'must be whsec_<base64 key> (Standard Webhooks)' }) }).strict().optional()
}).strict()

export type EgressConfig = z.infer<typeof EgressConfig>

export const ClientConfig = z.object({
  id: z.string().min(1).max(64),
  token: SecretConfig.refine((token) => token.length >= 16, { message: 'must be at least 16 characters' }),
  labels: z.record(z.string(), z.string()).default({})
}).strict()

export type ClientConfig = z.infer<typeof ClientConfig>
