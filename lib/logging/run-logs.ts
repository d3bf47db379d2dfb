import type { Observable } from 'rxjs';
import { Bus } from '../internal/hot-stream.js';
import type { LogRecord } from './log-record.js';
import { shared } from '../internal/shared.js';

/** @internal Where records are published; nothing is emitted while nobody listens. */
export const logBus = shared('logBus', () => new Bus<LogRecord>('runLogs$'));

/**
 * Every log record of every run in this process at or above the configured level, as it is
 * written: a hot Observable (records from `getRunLogger()` and, with `logPrints`, from
 * `console`). A subscriber that throws is reported (`setErrorReporter`), never rethrown.
 * @example
 * ```ts
 * const errors = runLogs$.pipe(filter((r) => r.level === 'error'));
 * errors.subscribe((r) => alert(`${r.runName}: ${r.message}`));
 * ```
 */
export const runLogs$: Observable<LogRecord> = logBus.stream;
