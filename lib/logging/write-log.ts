import { runStoreSlot } from '../client/run-store-slot.js';
import { nowDate } from '../internal/clock.js';
import { isError } from '../internal/describe-kind.js';
import { report } from '../internal/report.js';
import type { RunScope } from '../internal/run-scope.js';
import { LEVEL_RANK, type LogFields, type LogLevel, type LogRecord } from './log-record.js';
import { loggingSlot } from './logging-config.js';
import { printGuard } from './print-guard.js';
import { logBus } from './run-logs.js';

const NO_FIELDS: LogFields = Object.freeze({});

/**
 * @internal Writes one record of `run`'s log: to the run store, `runLogs$` and every sink, unless
 * its level is below the configured one. Sinks and subscribers that throw are reported; logging
 * never throws into the code that logged.
 */
export function writeLog(run: RunScope, level: LogLevel, message: string, fields: unknown): void {
  const config = loggingSlot.config;
  if (LEVEL_RANK[level] < config.rank) return;
  const info = run.info;
  // Keys in the documented order; flowRunId and taskRunId only when there is one.
  const record = { level, message, fields: toFields(fields), runId: info.id } as {
    -readonly [K in keyof LogRecord]: LogRecord[K];
  };
  const flowRunId = info.kind === 'flow' ? info.id : info.flowRunId;
  if (flowRunId !== undefined) record.flowRunId = flowRunId;
  if (info.kind === 'task') record.taskRunId = info.id;
  record.runName = info.name;
  record.timestamp = nowDate(run.clock);
  Object.freeze(record);

  printGuard.depth++;
  try {
    try {
      runStoreSlot.current.recordLog(run.record, record);
    } catch (error) {
      report(`the run store failed to record a log record of run '${info.name}'`, error);
    }
    // A throwing subscriber is reported by the bus itself (lib/internal/hot-stream.ts).
    if (logBus.observed) logBus.next(record);
    for (const sink of config.sinks) {
      try {
        sink.write(record);
      } catch (error) {
        report(`a log sink failed to write a record of run '${info.name}'`, error);
      }
    }
  } finally {
    printGuard.depth--;
  }
}

/** Fields as given when they are an object; `{}` when absent; an error under `err` (the pino convention), anything else under `value`. */
function toFields(fields: unknown): LogFields {
  if (fields === undefined || fields === null) return NO_FIELDS;
  if (isError(fields)) return { err: fields };
  if (typeof fields === 'object') return fields as LogFields;
  return { value: fields };
}
