import type { Subscription } from 'rxjs';
import { currentFrame } from '../internal/context.js';
import { scheduleDelay } from '../internal/schedule-delay.js';

/**
 * Waits `ms` milliseconds on the current run's clock: virtual time inside
 * {@link withVirtualTime}, real time elsewhere. Use it for the "slow work" in a task under
 * test. With a `signal`, it rejects with `signal.reason` as soon as the signal aborts (at once
 * if it already has), and its timer is removed.
 * @example
 * ```ts
 * const slow = task({ timeoutSeconds: 1 }, async () => {
 *   await sleep(5000, getRunContext().signal); // rejects with the TimeoutError at 1 s
 * });
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (typeof ms !== 'number' || !(ms >= 0) || ms === Infinity) {
    return Promise.reject(
      new RangeError(`sleep: expected ms to be a non-negative finite number, got ${String(ms)}`),
    );
  }
  const { scheduler } = currentFrame().clock;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: Subscription | undefined = undefined;
    const onAbort = (): void => {
      timer?.unsubscribe();
      reject(signal!.reason);
    };
    timer = scheduleDelay(
      scheduler,
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      ms,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
