import { format } from 'date-fns/format';
import * as z from 'zod/mini';
import { parseOptions } from '../client/parse-options.js';
import { describeError, isError } from '../internal/describe-kind.js';
import { inspect } from './format-args.js';
import { LEVEL_RANK, type LogLevel, type LogRecord } from './log-record.js';
import type { LogSink } from './log-sink.js';

/** Options of {@link createConsoleSink}. */
export interface ConsoleSinkOptions {
  /** Records below this level are not printed (they are still stored and on `runLogs$`). @default 'debug' (all records written) */
  level?: LogLevel;
  /** ANSI colours. @default true when stdout is a terminal and `NO_COLOR` is not set (never in browsers) */
  colors?: boolean;
}

const OptionsSchema = z.strictObject({
  level: z.optional(z.enum(['debug', 'info', 'warn', 'error'])),
  colors: z.optional(z.boolean()),
});

const LABEL: Readonly<Record<LogLevel, string>> = {
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
};
const COLOR: Readonly<Record<LogLevel, string>> = { debug: '90', info: '36', warn: '33', error: '31' };

/**
 * A sink that prints each record on one line through `console` (`debug`, `info`, `warn`,
 * `error` by level, so on Node warnings and errors go to stderr):
 * `14:03:07.120 INFO  [etl-2024-06-01] loaded rows=3 table=sales`. The time is the record's
 * (the run's clock), in local time; fields follow the message as `key=value`.
 * @example
 * ```ts
 * configureLogging({ sinks: [createConsoleSink({ level: 'warn', colors: false })] });
 * ```
 */
export function createConsoleSink(options?: ConsoleSinkOptions): LogSink {
  const o = parseOptions('createConsoleSink', OptionsSchema, options);
  const rank = LEVEL_RANK[o.level ?? 'debug'];
  const colors = o.colors ?? autoColors();
  return {
    write(record: LogRecord): void {
      if (LEVEL_RANK[record.level] < rank) return;
      const line = formatRecord(record, colors);
      console[record.level](line);
    },
  };
}

/** @internal One record as the console sink prints it. */
export function formatRecord(record: LogRecord, colors: boolean): string {
  const paint = (code: string, text: string, reset = '39') =>
    colors ? `\u001b[${code}m${text}\u001b[${reset}m` : text;
  const time = format(record.timestamp, 'HH:mm:ss.SSS');
  const level = paint(COLOR[record.level], LABEL[record.level]);
  let line = `${paint('90', time)} ${level} [${paint('1', record.runName, '22')}] ${record.message}`;
  for (const key of Object.keys(record.fields)) line += ` ${key}=${fieldValue(record.fields[key])}`;
  return line;
}

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (isError(value)) return JSON.stringify(describeError(value));
  return inspect(value);
}

function autoColors(): boolean {
  const proc = (
    globalThis as { process?: { stdout?: { isTTY?: boolean }; env?: Record<string, string | undefined> } }
  ).process;
  if (proc?.stdout?.isTTY !== true) return false;
  return proc.env?.NO_COLOR === undefined && proc.env?.FORCE_COLOR !== '0';
}
