import type { LogLevel, LogRecord } from '../logging/log-record.js';
import type { LogSink } from '../logging/log-sink.js';

/** One of a pino logger's level methods: `logger.info({ ...fields }, 'message')`. */
export type PinoLogFn = (object: Record<string, unknown>, message: string) => void;

/**
 * The part of a pino `Logger` the sink uses. Typed structurally, so `rxflow/node` does not need
 * pino installed: pass your own `pino()` logger, or a child of it (anything with these methods).
 */
export interface PinoLike {
  debug: PinoLogFn;
  info: PinoLogFn;
  warn: PinoLogFn;
  error: PinoLogFn;
}

/** Options of {@link createPinoSink}. */
export interface PinoSinkOptions {
  /**
   * Also pass the record's own time (the run clock's, virtual under `withVirtualTime`) as the
   * field `timestamp`, an ISO string; pino stamps `time` with its own clock either way.
   * @default false
   */
  timestamp?: boolean;
}

/**
 * A log sink that forwards every record to a pino logger, at the record's level, with the
 * record's fields merged with the run's identity (`runId`, `runName`, `flowRunId`, `taskRunId`;
 * these win over fields of the same name) and the message as pino's message.
 * @example
 * ```ts
 * import pino from 'pino';
 * import { configureLogging } from 'rxflow';
 * import { createPinoSink } from 'rxflow/node';
 *
 * configureLogging({ sinks: [createPinoSink(pino({ level: 'debug' }))] });
 * ```
 */
export function createPinoSink(logger: PinoLike, options: PinoSinkOptions = {}): LogSink {
  const levels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const missing = levels.find(
    (level) => typeof (logger as unknown as Record<string, unknown> | null)?.[level] !== 'function',
  );
  if (missing !== undefined)
    throw new TypeError(`createPinoSink: expected a pino logger, but it has no ${missing}() method`);
  const withTimestamp = options.timestamp === true;
  return {
    write(record: LogRecord): void {
      const object: Record<string, unknown> = {
        ...record.fields,
        runId: record.runId,
        runName: record.runName,
      };
      if (record.flowRunId !== undefined) object.flowRunId = record.flowRunId;
      if (record.taskRunId !== undefined) object.taskRunId = record.taskRunId;
      if (withTimestamp) object.timestamp = record.timestamp.toISOString();
      logger[record.level](object, record.message);
    },
  };
}
