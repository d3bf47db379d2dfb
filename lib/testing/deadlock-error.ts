import { guardFor, RxflowError } from '../errors/rxflow-error.js';

/**
 * `withVirtualTime` gave up because its function can never settle: nothing is running, no
 * virtual timer is due, and no real work is in flight. The message names the runs still active.
 * @example
 * ```ts
 * await expect(withVirtualTime(() => new Promise(() => {}))).rejects.toThrow(DeadlockError);
 * ```
 */
export class DeadlockError extends RxflowError {
  static override readonly errorName: string = 'DeadlockError';

  readonly code = 'DEADLOCK';
  /** The runs started inside the scope that had not ended, described as `task run 'x' (Running)`. */
  readonly waitingOn: readonly string[];
  /** The virtual time when it gave up, in ms. */
  readonly virtualTime: number;

  constructor(waitingOn: readonly string[], virtualTime: number, realHandles: readonly string[] = []) {
    super(deadlockMessage(waitingOn, realHandles));
    this.waitingOn = Object.freeze([...waitingOn]);
    this.virtualTime = virtualTime;
  }
}

function deadlockMessage(waitingOn: readonly string[], realHandles: readonly string[]): string {
  const runs =
    waitingOn.length > 0 ? waitingOn.join(', ') : 'no rxflow run (the awaited promise never settles)';
  const real =
    realHandles.length > 0
      ? `; real handles still open: ${realHandles.join(', ')} (real timers and I/O do not follow virtual time: wait with the run's clock, e.g. sleep() from rxflow/testing)`
      : '';
  return `withVirtualTime: deadlock — nothing is running and no timer is due; still waiting: ${runs}${real}`;
}

/**
 * Narrows `value` to a {@link DeadlockError} (also one from another copy of rxflow).
 * @example
 * ```ts
 * const error = await withVirtualTime(fn).catch((e: unknown) => e);
 * if (isDeadlockError(error)) console.log(error.waitingOn);
 * ```
 */
export const isDeadlockError = guardFor(DeadlockError, 'DeadlockError');
