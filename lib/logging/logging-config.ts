import * as z from 'zod/mini';
import { parseOptions } from '../client/parse-options.js';
import { createConsoleSink } from './console-sink.js';
import { LEVEL_RANK, type LogLevel } from './log-record.js';
import type { LogSink } from './log-sink.js';
import { shared } from '../internal/shared.js';

/** Options of {@link configureLogging}; omitted ones keep their current value. */
export interface LoggingOptions {
  /** Records below this level are not written anywhere (store, `runLogs$`, sinks). @default 'info' */
  level?: LogLevel;
  /** Where records are written, besides the run store and `runLogs$`. @default [createConsoleSink()] */
  sinks?: readonly LogSink[];
}

/** @internal The settings every record is checked against. */
export interface LoggingConfig {
  readonly level: LogLevel;
  readonly rank: number;
  readonly sinks: readonly LogSink[];
}

/** @internal Read on every record. */
export const loggingSlot: { config: LoggingConfig } = shared('loggingSlot', () => ({
  config: { level: 'info', rank: LEVEL_RANK.info, sinks: Object.freeze([createConsoleSink()]) },
}));

const LevelSchema = z.enum(['debug', 'info', 'warn', 'error']);
const OptionsSchema = z.strictObject({
  level: z.optional(LevelSchema),
  sinks: z.optional(
    z.array(
      z.custom<LogSink>(
        (v) => v !== null && typeof v === 'object' && typeof (v as LogSink).write === 'function',
        { message: 'expected sinks with a write(record) method' },
      ),
    ),
  ),
});

/**
 * Sets the run loggers' level and sinks, for the whole process. Returns a function restoring the
 * previous settings. `sinks: []` keeps records in the run store and on `runLogs$` only.
 * @example
 * ```ts
 * configureLogging({ level: 'debug', sinks: [createConsoleSink({ level: 'warn' })] });
 * ```
 */
export function configureLogging(options: LoggingOptions): () => void {
  const o = parseOptions('configureLogging', OptionsSchema, options);
  const previous = loggingSlot.config;
  const level = o.level ?? previous.level;
  loggingSlot.config = {
    level,
    rank: LEVEL_RANK[level],
    sinks: o.sinks === undefined ? previous.sinks : Object.freeze([...o.sinks]),
  };
  return () => {
    loggingSlot.config = previous;
  };
}

/**
 * The current logging settings.
 * @example
 * ```ts
 * if (getLoggingConfig().level === 'debug') logger.debug('rows', { rows });
 * ```
 */
export function getLoggingConfig(): { readonly level: LogLevel; readonly sinks: readonly LogSink[] } {
  const { level, sinks } = loggingSlot.config;
  return { level, sinks };
}
