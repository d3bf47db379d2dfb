import type { LogFields } from './log-record.js';

/**
 * The logger of one run, from {@link getRunLogger}. Each call writes a record carrying the run's
 * ids and name, the level, the message, the fields (`{}` when none; an `Error` passed as fields
 * becomes `{ err }`, the key pino serialises errors under) and the run clock's time.
 * @example
 * ```ts
 * const logger = getRunLogger();
 * logger.info('loaded', { table: 'sales', rows: 3 });
 * logger.error('upload failed', error);
 * ```
 */
export interface RunLogger {
  debug(message: string, fields?: LogFields | Error): void;
  info(message: string, fields?: LogFields | Error): void;
  warn(message: string, fields?: LogFields | Error): void;
  error(message: string, fields?: LogFields | Error): void;
}
