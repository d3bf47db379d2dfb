import type { LogRecord } from './log-record.js';

/**
 * Where log records go besides the run store and `runLogs$`: the console by default
 * ({@link createConsoleSink}), pino with `createPinoSink` from `rxflow/node`, or your own.
 * `write` is called synchronously for every record at or above the configured level; an error it
 * throws is reported (`setErrorReporter`) and never reaches the code that logged.
 * @example
 * ```ts
 * const lines: string[] = [];
 * const memorySink: LogSink = { write: (record) => lines.push(`${record.level} ${record.message}`) };
 * configureLogging({ sinks: [memorySink] });
 * ```
 */
export interface LogSink {
  write(record: LogRecord): void;
}
