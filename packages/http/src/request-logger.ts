import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

type LogArguments = [unknown, string?, ...unknown[]];

/**
 * A request's logger that becomes a pino child only when the request logs at an enabled level.
 * Fastify makes a child logger for every request, and pino serialises (and redacts) the child's
 * bindings as it is made: on a route that logs nothing at the running level, that was the largest
 * single cost of logging. Its own children are made the same way. Lines that are written are the
 * same as a plain child's.
 */
class RequestLogger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger | RequestLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger().level = level;
  }

  get levels(): Logger['levels'] {
    return this.parent.levels;
  }

  isLevelEnabled(level: string): boolean {
    if (this.made) return this.made.isLevelEnabled(level);
    if (this.options.level === undefined) return this.parent.isLevelEnabled(level);
    const values = this.levels.values;
    return (values[level] ?? Number.POSITIVE_INFINITY) >= (values[this.options.level] ?? 0);
  }

  child(bindings: Bindings, options: ChildLoggerOptions = {}): Logger {
    return new RequestLogger(this, bindings, options) as unknown as Logger;
  }

  trace(...args: LogArguments): void {
    this.write('trace', args);
  }

  debug(...args: LogArguments): void {
    this.write('debug', args);
  }

  info(...args: LogArguments): void {
    this.write('info', args);
  }

  warn(...args: LogArguments): void {
    this.write('warn', args);
  }

  error(...args: LogArguments): void {
    this.write('error', args);
  }

  fatal(...args: LogArguments): void {
    this.write('fatal', args);
  }

  silent(): void {}

  private write(level: Level, args: LogArguments): void {
    if (!this.isLevelEnabled(level)) return;
    (this.logger()[level] as (...values: LogArguments) => void)(...args);
  }

  private logger(): Logger {
    if (!this.made) {
      const parent = this.parent instanceof RequestLogger ? this.parent.logger() : this.parent;
      this.made = parent.child(this.bindings, this.options);
    }
    return this.made;
  }
}

export function requestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
  return new RequestLogger(parent as Logger, bindings, options) as unknown as FastifyBaseLogger;
}
