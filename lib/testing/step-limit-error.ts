import { guardFor, RxflowError } from '../errors/rxflow-error.js';

/**
 * `withVirtualTime` ran `maxSteps` virtual timers and its function had still not settled: most
 * likely a timer that keeps rescheduling itself (an `interval` nobody unsubscribes).
 * @example
 * ```ts
 * const ticking = () => new Promise(() => { const tick = (): unknown => sleep(1000).then(tick); tick(); });
 * await expect(withVirtualTime(ticking, { maxSteps: 100 })).rejects.toThrow(StepLimitError);
 * ```
 */
export class StepLimitError extends RxflowError {
  static override readonly errorName: string = 'StepLimitError';

  readonly code = 'STEP_LIMIT';
  /** The limit that was reached. */
  readonly maxSteps: number;
  /** The virtual time when it gave up, in ms. */
  readonly virtualTime: number;

  constructor(maxSteps: number, virtualTime: number, startTime: number, waitingOn: readonly string[]) {
    const runs = waitingOn.length > 0 ? `; still active: ${waitingOn.join(', ')}` : '';
    super(
      `withVirtualTime: gave up after running ${maxSteps} timers (${virtualTime - startTime} virtual ms) without the function settling; ` +
        `a timer probably reschedules itself forever (an interval?). Raise maxSteps if this much work is expected${runs}`,
    );
    this.maxSteps = maxSteps;
    this.virtualTime = virtualTime;
  }
}

/**
 * Narrows `value` to a {@link StepLimitError} (also one from another copy of rxflow).
 * @example
 * ```ts
 * const error = await withVirtualTime(fn, { maxSteps: 1000 }).catch((e: unknown) => e);
 * if (isStepLimitError(error)) console.log(`stuck at ${error.virtualTime} ms`);
 * ```
 */
export const isStepLimitError = guardFor(StepLimitError, 'StepLimitError');
