import { guardFor } from '../errors/rxflow-error.js';
import { NonRetriableError } from '../errors/non-retriable-error.js';

/**
 * A task's body could not be run in a worker thread by `WorkerThreadTaskRunner`: an argument or
 * the result cannot be cloned faithfully (a function, a symbol, a class instance with methods),
 * the function cannot be loaded there (a closure sent by its source, a module that does not
 * load or lacks the export), and so on. The message names the task and the problem. Retrying
 * cannot help, so the run fails at once, like with a `NonRetriableError` (which it extends).
 * @example
 * ```ts
 * const state = await render.submit(new Point(1, 2)).wait();
 * if (isWorkerTransferError(state.error)) console.log(state.error.message);
 * // Task 'render' cannot run in a worker thread: argument 0 is an instance of Point: …
 * ```
 */
export class WorkerTransferError extends NonRetriableError {
  static override readonly errorName: string = 'WorkerTransferError';

  override readonly code: string = 'WORKER_TRANSFER';
  /** The task whose body could not be run in the worker. */
  readonly taskName: string;

  constructor(taskName: string, reason: string, options?: { cause?: unknown }) {
    super(`Task '${taskName}' cannot run in a worker thread: ${reason}`, options);
    this.taskName = taskName;
  }
}

/** Narrows `value` to a {@link WorkerTransferError}. */
export const isWorkerTransferError = guardFor(WorkerTransferError, 'WorkerTransferError');
