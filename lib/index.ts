/**
 * rxflow: Prefect-style workflow orchestration for TypeScript, built on RxJS. Every task run
 * and flow run is a cold Observable of typed states; retries, timeouts and hooks are
 * composable operators and subscriptions.
 *
 * @example
 * ```ts
 * import { flow, task, runStates$ } from 'rxflow';
 *
 * const extract = task({ retries: 3, retryDelaySeconds: exponentialBackoff(1), timeoutSeconds: 10 }, fetchRows);
 * const etl = flow({ name: 'etl' }, async (day: string) => load(await extract(day)));
 * runStates$.subscribe(({ run, state }) => console.log(run.name, state.name));
 * await etl('2026-11-22');
 * ```
 * @packageDocumentation
 */
export { task } from './task/task.js';
export type { Task, TaskOptions, TaskHook } from './task/task.js';
export { flow } from './flow/flow.js';
export type { Flow, FlowOptions, FlowHook, SchemaFlow } from './flow/flow.js';
export type { StandardSchemaV1 } from './internal/standard-schema.js';
export type { FutureArg, SubmitArgs, MapArgs, MapFutureArgs } from './task/task.js';
export { TaskRunFuture } from './futures/task-run-future.js';
export { TaskRunFutureList } from './futures/task-run-future-list.js';
export { allowFailure, AllowFailure } from './futures/allow-failure.js';
export { unmapped, Unmapped } from './futures/unmapped.js';
export { wait } from './futures/wait.js';
export type { WaitOptions, WaitResult } from './futures/wait.js';
export { asCompleted } from './futures/as-completed.js';
export type { SubmitOptions } from './futures/submit.js';
export type { TaskRunner, TaskRunnerCall, TaskRunnerJob } from './runners/task-runner.js';
export { ConcurrentTaskRunner } from './runners/concurrent-task-runner.js';
export type { ConcurrentTaskRunnerOptions } from './runners/concurrent-task-runner.js';
export { SequentialTaskRunner } from './runners/sequential-task-runner.js';
export { getRunContext } from './context/get-run-context.js';
export type { RunContext } from './context/get-run-context.js';
export { tags } from './context/tags.js';
export type { RunInfo } from './internal/run-scope.js';
export { runStates$ } from './internal/engine/bus.js';
export type { RunStateEvent } from './internal/engine/bus.js';
export { configureClock } from './internal/clock.js';
export type { Clock } from './internal/clock.js';
export { setErrorReporter } from './internal/report.js';
export type { Reporter } from './internal/report.js';
export { exponentialBackoff } from './policies/backoff.js';
export {
  StateSchema,
  StateTypeSchema,
  StateDetailsSchema,
  STATE_NAMES,
  createState,
  isFinal,
  isCompleted,
  isFailed,
  isCancelled,
  isCrashed,
  isPaused,
  isScheduled,
  isRunning,
  isPending,
  TRANSITIONS,
  canTransition,
} from './state/index.js';
export type { State, StateType, StateName, StateDetails, StateInit } from './state/index.js';
export {
  RxflowError,
  isRxflowError,
  TimeoutError,
  isTimeoutError,
  CancelledError,
  isCancelledError,
  NonRetriableError,
  isNonRetriableError,
  UpstreamTaskError,
  isUpstreamTaskError,
  ParameterValidationError,
  isParameterValidationError,
  OptionValidationError,
  isOptionValidationError,
  CrashedError,
  isCrashedError,
  MissingContextError,
  isMissingContextError,
} from './errors/index.js';
export {
  createConcurrencyLimit,
  deleteConcurrencyLimit,
  getConcurrencyLimit,
  concurrency,
  rateLimit,
  setTagConcurrencyLimit,
  ConcurrencyLimitError,
  isConcurrencyLimitError,
} from './limits/index.js';
export type {
  ConcurrencyLimitOptions,
  ConcurrencyLimitInfo,
  ConcurrencyOptions,
  RateLimitOptions,
} from './limits/index.js';
// Observability: run logs, runtime context, events, artifacts, run history and the client.
export { getRunLogger } from './logging/get-run-logger.js';
export type { RunLogger } from './logging/run-logger.js';
export { runLogs$ } from './logging/run-logs.js';
export { configureLogging, getLoggingConfig } from './logging/logging-config.js';
export type { LoggingOptions } from './logging/logging-config.js';
export { createConsoleSink } from './logging/console-sink.js';
export type { ConsoleSinkOptions } from './logging/console-sink.js';
export type { LogLevel, LogRecord, LogFields } from './logging/log-record.js';
export type { LogSink } from './logging/log-sink.js';
export { runtime } from './runtime/runtime.js';
export type { RuntimeRun } from './runtime/runtime.js';
export { emitEvent, events$ } from './events/events.js';
export type { RxflowEvent, EventResource, EmitEventInput } from './events/event.js';
export { EventValidationError, isEventValidationError } from './events/event-validation-error.js';
export { createMarkdownArtifact } from './artifacts/create-markdown-artifact.js';
export { createTableArtifact } from './artifacts/create-table-artifact.js';
export { createLinkArtifact } from './artifacts/create-link-artifact.js';
export type { LinkArtifactOptions } from './artifacts/create-link-artifact.js';
export { createProgressArtifact } from './artifacts/create-progress-artifact.js';
export { updateProgressArtifact } from './artifacts/update-progress-artifact.js';
export { artifacts$ } from './artifacts/artifact-bus.js';
export type {
  ArtifactRecord,
  ArtifactType,
  ArtifactOptions,
  TableData,
  LinkData,
} from './artifacts/artifact-record.js';
export { ArtifactValidationError, isArtifactValidationError } from './artifacts/artifact-validation-error.js';
export { ArtifactNotFoundError, isArtifactNotFoundError } from './artifacts/artifact-not-found-error.js';
export { getClient } from './client/get-client.js';
export type { RxflowClient, RunRecord } from './client/get-client.js';
export { MemoryRunStore } from './client/memory-run-store.js';
export type { MemoryRunStoreOptions } from './client/memory-run-store.js';
export { setRunStore, getRunStore } from './client/run-store-slot.js';
export type { RunStore, StoredRun, RunFilter, RunQuery, Awaitable } from './client/run-store.js';
export { RunNotFoundError, isRunNotFoundError } from './client/run-not-found-error.js';
export { INPUTS, TASK_SOURCE, RUN_ID, FLOW_PARAMETERS, NO_CACHE, DEFAULT } from './cache/policies.js';
export { CachePolicy, isCachePolicy } from './cache/cache-policy.js';
export type { CachePolicyPart } from './cache/cache-policy.js';
export { taskInputHash } from './cache/task-input-hash.js';
export type { CacheKeyContext, CacheKeyFn } from './cache/cache-key-context.js';
export type { CacheExpiration } from './cache/expiration.js';
export { CacheKeyError, isCacheKeyError } from './cache/cache-key-error.js';
export type { ResultStorage } from './results/result-storage.js';
export { MemoryStorage } from './results/memory-storage.js';
export type { MemoryStorageOptions } from './results/memory-storage.js';
export type { ResultSerializer } from './results/result-serializer.js';
export { jsonSerializer } from './results/json-serializer.js';
export { ResultReference, isResultReference } from './results/result-reference.js';
export { ResultRecordError, isResultRecordError } from './results/result-record-error.js';
export { StorageKeyError, isStorageKeyError } from './results/storage-key-error.js';
export type { ResultOptions, TaskResultOptions } from './cache/result-options.js';
