import { currentFrame } from '../internal/context.js';
import { scheduleDelay } from '../internal/schedule-delay.js';
import type { TaskRunFuture } from './task-run-future.js';

/** Options of {@link wait}. */
export interface WaitOptions {
  /**
   * Seconds to wait at most (engine clock, so virtual under `withVirtualTime`); `Infinity` is
   * the same as none. @default no limit
   */
  timeoutSeconds?: number;
}

/** What {@link wait} resolves with: the futures that ended and those still going, each in input order. */
export interface WaitResult<R = unknown> {
  readonly done: TaskRunFuture<R>[];
  readonly notDone: TaskRunFuture<R>[];
}

/**
 * Waits until every future has ended, or `timeoutSeconds` has passed; never rejects because a
 * run failed (Prefect's `wait`).
 * @example
 * ```ts
 * const { done, notDone } = await wait(slow.map([1, 2, 3]), { timeoutSeconds: 5 });
 * ```
 */
export function wait<R>(
  futures: Iterable<TaskRunFuture<R>>,
  options: WaitOptions = {},
): Promise<WaitResult<R>> {
  const list = [...futures];
  const timeout = options.timeoutSeconds;
  if (timeout !== undefined && !(timeout >= 0)) {
    return Promise.reject(new RangeError(`wait: expected timeoutSeconds to be ≥ 0, got ${String(timeout)}`));
  }
  const split = (): WaitResult<R> => ({
    done: list.filter((f) => f.done),
    notDone: list.filter((f) => !f.done),
  });
  return new Promise<WaitResult<R>>((resolve) => {
    let left = list.length;
    let settled = false;
    const removers: (() => void)[] = [];
    let timer: { unsubscribe(): void } | undefined;
    const finish = () => {
      if (settled) return;
      settled = true;
      timer?.unsubscribe();
      for (const remove of removers) remove();
      resolve(split());
    };
    if (left === 0) return finish();
    for (const future of list) {
      removers.push(
        future.run.whenEnded(() => {
          if (--left === 0) finish();
        }),
      );
    }
    // Infinity waits for the runs alone: no timer (a platform timer would fire it at once).
    if (!settled && timeout !== undefined && timeout !== Infinity) {
      timer = scheduleDelay(currentFrame(true).clock.scheduler, finish, timeout * 1000);
    }
  });
}
