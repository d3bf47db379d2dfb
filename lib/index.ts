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
export type { Flow, FlowOptions, FlowHook } from './flow/flow.js';
export type { FutureArg, SubmitArgs, MapArgs } from './task/task.js';
export { TaskRunFuture } from './futures/task-run-future.js';
export { TaskRunFutureList } from './futures/task-run-future-list.js';
export { allowFailure, AllowFailure } from './futures/allow-failure.js';
export { unmapped, Unmapped } from './futures/unmapped.js';
export { wait } from './futures/wait.js';
export type { WaitOptions, WaitResult } from './futures/wait.js';
export { asCompleted } from './futures/as-completed.js';
export type { SubmitOptions } from './futures/submit.js';
export type { TaskRunner, TaskRunnerJob } from './runners/task-runner.js';
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
