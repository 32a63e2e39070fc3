import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Bindings, ChildLoggerOptions, Level } from 'pino'

/**
 * A request's logger, made into a real pino child only when the request first logs at a level
 * that is enabled. Fastify gives every request a child logger carrying its id; with pino that is
 * a new logger per request (its bindings serialised, its redaction set up), ~2.5 µs, although at
 * the usual levels most requests never write a line. Lines that are written carry the same
 * bindings as before.
 */
class LazyRequestLogger {
  private made: FastifyBaseLogger | undefined

  constructor (private readonly parent: FastifyBaseLogger, private readonly bindings: Bindings, private readonly options: ChildLoggerOptions) {}

  get level (): string { return this.made?.level ?? this.parent.level }
  set level (level: string) { this.real().level = level }

  fatal (...args: unknown[]): void { this.write('fatal', args) }
  error (...args: unknown[]): void { this.write('error', args) }
  warn (...args: unknown[]): void { this.write('warn', args) }
  info (...args: unknown[]): void { this.write('info', args) }
  debug (...args: unknown[]): void { this.write('debug', args) }
  trace (...args: unknown[]): void { this.write('trace', args) }
  silent (): void {}

  child (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options)
  }

  private real (): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings, this.options)
    return this.made
  }

  private write (level: Level, args: unknown[]): void {
    if (this.made === undefined && !isEnabled(this.parent, level)) return
    ;(this.real()[level] as (...line: unknown[]) => void)(...args)
  }
}

const isEnabled = (logger: FastifyBaseLogger, level: Level): boolean =>
  (logger as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.(level) ?? true

/** For Fastify's `childLoggerFactory`. A route with a level of its own gets a real child at once. */
export const lazyRequestLogger: FastifyInstance['childLoggerFactory'] = function (logger, bindings, options) {
  if (options.level !== undefined) return logger.child(bindings, options)
  return new LazyRequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger
}
