import { MissingContextError } from '../errors/missing-context-error.js';
import { contextPropagatesAcrossAwait, currentFrame } from '../internal/context.js';
import { safeString } from '../internal/describe-kind.js';
import type { RunScope } from '../internal/run-scope.js';
import type { LogFields, LogLevel } from './log-record.js';
import type { RunLogger } from './run-logger.js';
import { writeLog } from './write-log.js';

/** A logger bound to one run; a class, so its four methods are shared, not four closures per call. */
class BoundRunLogger implements RunLogger {
  constructor(private readonly run: RunScope) {}

  debug(message: string, fields?: LogFields | Error): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: LogFields | Error): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: LogFields | Error): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: LogFields | Error): void {
    this.write('error', message, fields);
  }

  private write(level: LogLevel, message: unknown, fields: unknown): void {
    writeLog(this.run, level, typeof message === 'string' ? message : safeString(message), fields);
  }
}

/**
 * The logger of the run whose body is executing (a task run or a flow run). Records go to the run
 * store (`getClient().readLogs(runId)`), to `runLogs$` and to the configured sinks (the console
 * by default), if at or above the configured level (`info` by default).
 *
 * The logger stays bound to the run it was taken in, so in the browser build, where the current
 * run is only known until the body's first `await`, take it at the top of the body.
 * Throws a `MissingContextError` outside any run.
 * @example
 * ```ts
 * const load = task({ name: 'load' }, async (table: string, rows: Row[]) => {
 *   const logger = getRunLogger();
 *   await db.insert(table, rows);
 *   logger.info('loaded', { table, rows: rows.length });
 * });
 * ```
 */
export function getRunLogger(): RunLogger {
  const run = currentFrame().run;
  if (run === undefined) {
    throw new MissingContextError(
      'getRunLogger() was called outside a task or flow run' +
        (contextPropagatesAcrossAwait()
          ? ''
          : " (without AsyncLocalStorage the run is only known until the body's first await: take the logger before it)"),
    );
  }
  return new BoundRunLogger(run);
}
