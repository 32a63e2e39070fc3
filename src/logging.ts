import pino, { type DestinationStream, type Logger } from 'pino'
import { redactUrl } from './runs/redact.js'

/** Header and field paths whose values never reach a log line. */
const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]', 'req.headers["x-api-key"]',
  'res.headers["set-cookie"]', '*.token', '*.password', '*.secret', 'headers.authorization', 'headers.cookie'
]

export function createLogger (options: { level?: string, destination?: DestinationStream } = {}): Logger {
  return pino({
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // Credentials in query strings (`?token=…`) are redacted from every logged URL.
      req: (request: { method: string, url: string, ip?: string, headers?: Record<string, unknown> }) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip
      }),
      err: pino.stdSerializers.err
    }
  }, options.destination)
}
