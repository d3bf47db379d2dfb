import type { RunInfo } from '../internal/run-scope.js';

/**
 * One submitted task run, as a task runner sees it. The runner decides when it starts; the run
 * reports its end through the callback, so a runner can hold a slot for the run's whole life
 * (retry waits included).
 */
export interface TaskRunnerJob {
  /** The run's id (`TaskRunFuture.id`). */
  readonly runId: string;
  /** The run's name, for a runner's own logs. */
  readonly runName: string;
  /**
   * Starts the run's attempts. `onEnd` is called exactly once, when the run has reached its last
   * state and its hooks have settled; at once if the run already ended while it was queued
   * (it was cancelled).
   */
  start(onEnd: () => void): void;
}

/**
 * One attempt of a submitted task run, handed to {@link TaskRunner.execute} by a runner that
 * runs task bodies somewhere else (a worker thread, another process). The engine keeps the
 * run's states, retries, timeout and hooks; only the body's call goes through `execute`.
 */
export interface TaskRunnerCall {
  /** The task's function, as given to `task()` (`task.fn`). */
  readonly fn: (...args: never[]) => unknown;
  /** This attempt's arguments, with upstream futures already replaced by their results. */
  readonly args: readonly unknown[];
  /** Aborts when the attempt must stop: the run was cancelled, timed out, or its flow run ended. */
  readonly signal: AbortSignal;
  /** The run, with this attempt's `runCount`. */
  readonly run: RunInfo;
}

/**
 * Where submitted task runs (`task.submit`, `task.map`) execute. A flow's `taskRunner` option is
 * a template: each flow run enters its own copy with {@link TaskRunner.duplicate} on its first
 * submit, so limits such as `maxConcurrency` apply per flow run. Direct calls (`await t(x)`) never
 * go through a runner. Implement this interface to run tasks elsewhere (a queue, a worker pool):
 * the runner only decides when `job.start` is called.
 * @example
 * ```ts
 * class LoggingRunner implements TaskRunner {
 *   readonly name = 'logging';
 *   submit(job: TaskRunnerJob): void {
 *     console.log(`starting ${job.runName}`);
 *     job.start(() => console.log(`${job.runName} ended`));
 *   }
 *   duplicate(): TaskRunner {
 *     return new LoggingRunner();
 *   }
 * }
 * const pipeline = flow({ taskRunner: new LoggingRunner() }, async () => double.map([1, 2, 3]).result());
 * ```
 */
export interface TaskRunner {
  /** A short name for logs and errors. */
  readonly name: string;
  /** Accepts a run; it starts when the runner calls `job.start`. Must not throw. */
  submit(job: TaskRunnerJob): void;
  /** A fresh runner with the same settings and no queued or running jobs (one per flow run). */
  duplicate(): TaskRunner;
  /**
   * Optional: runs one attempt's body in place of calling `call.fn(...call.args)` on this
   * thread, and returns (or resolves with) its result; a throw or rejection fails the attempt
   * like the body's own. Stop the work when `call.signal` aborts. Without it, bodies run here.
   */
  execute?(call: TaskRunnerCall): unknown;
}
