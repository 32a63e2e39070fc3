import { isIP } from 'node:net'
import { z } from 'zod'

const ProxyAddress = z.string().refine((entry) => {
  const [address, bits, ...rest] = entry.split('/')
  if (rest.length > 0 || isIP(address) === 0) return false
  if (bits === undefined) return true
  const max = isIP(address) === 4 ? 32 : 128
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max
}, { message: 'must be an IP address or CIDR' })

/**
 * `true` would trust every hop, so any caller could forge `X-Forwarded-For` and pick its own
 * client address: refused on purpose.
 */
const TrustProxyConfig = z.union([
  z.literal(false),
  z.array(ProxyAddress).min(1),
  z.number().int().min(1).max(10)
], {
  error: (issue) => issue.input === true
    ? 'true is refused: it lets any caller forge X-Forwarded-For; list the proxy addresses/CIDRs or give a hop count'
    : 'must be false, a list of proxy addresses/CIDRs, or a hop count'
})

export const MultipartConfig = z.object({
  maxFileBytes: z.number().int().positive().default(10 * 1024 * 1024),
  maxFiles: z.number().int().min(0).default(10),
  maxFields: z.number().int().min(0).default(1000)
}).strict()

/** An IP address or CIDR block. */
export const CidrEntry = ProxyAddress

export const ServerConfig = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(3234),
  trustProxy: TrustProxyConfig.default(false),
  bodyLimit: z.number().int().positive().default(1024 * 1024),
  /** Time allowed to receive a whole request: guards against slow clients. */
  requestTimeoutMs: z.number().int().positive().default(30_000),
  keepAliveTimeoutMs: z.number().int().positive().default(72_000),
  /** Time allowed for a request's headers to arrive (slow-loris guard). */
  headersTimeoutMs: z.number().int().positive().default(10_000),
  /** Request line plus headers, at most (Node answers 431 beyond). */
  maxHeaderBytes: z.number().int().min(1024).max(1_048_576).default(16_384),
  /** Deepest JSON nesting accepted in a body. */
  maxJsonDepth: z.number().int().min(1).max(10_000).default(64),
  /** On SIGTERM/SIGINT, how long in-flight runs may take to finish before the process leaves. */
  shutdownGraceMs: z.number().int().min(0).max(600_000).default(10_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Client addresses treated as local by the event dialect (no signature needed). The address is
   * `request.ip` under the `trustProxy` rules.
   */
  localNetworks: z.array(CidrEntry).default(['127.0.0.0/8', '::1/128', '::ffff:127.0.0.0/104']),
  multipart: MultipartConfig.default({ maxFileBytes: 10 * 1024 * 1024, maxFiles: 10, maxFields: 1000 })
}).strict()

export type ServerConfig = z.infer<typeof ServerConfig>
export type MultipartConfig = z.infer<typeof MultipartConfig>
