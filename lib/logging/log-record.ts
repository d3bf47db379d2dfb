/**
 * How severe a log record is, from least to most: `debug`, `info`, `warn`, `error`.
 * @example
 * ```ts
 * const level: LogLevel = process.env.DEBUG ? 'debug' : 'info';
 * configureLogging({ level });
 * ```
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** @internal Levels by rank: a record is kept when its rank is at least the configured level's. */
export const LEVEL_RANK: Readonly<Record<LogLevel, number>> = Object.freeze({
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
});

/** Structured fields of a log record: any JSON-like data the caller attaches. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * One record of a run's log, as `runLogs$`, sinks and `getClient().readLogs(runId)` see it.
 * Records are frozen.
 * @example
 * ```ts
 * runLogs$.subscribe((r) => console.log(`${r.runName} ${r.level}: ${r.message}`, r.fields));
 * ```
 */
export interface LogRecord {
  readonly level: LogLevel;
  readonly message: string;
  /** The fields passed with the message; `{}` when none. */
  readonly fields: LogFields;
  /** The run that wrote the record (a task run or a flow run). */
  readonly runId: string;
  /** The flow run: the writing run itself when it is a flow run, else its nearest enclosing flow run. */
  readonly flowRunId?: string;
  /** The task run, when a task run wrote the record. */
  readonly taskRunId?: string;
  /** The writing run's name. */
  readonly runName: string;
  /** When the record was written, by the run's clock (virtual under `withVirtualTime`). */
  readonly timestamp: Date;
}
