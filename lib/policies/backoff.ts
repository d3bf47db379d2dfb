/**
 * Retry delays in seconds for `retries` retries, doubling each time from `backoffFactor`:
 * `exponentialBackoff(10)(3)` is `[10, 20, 40]`. Pass it as `retryDelaySeconds`; it is
 * evaluated once, when the task or flow is defined.
 * @example
 * ```ts
 * const fetchPage = task({ retries: 3, retryDelaySeconds: exponentialBackoff(10) }, load);
 * ```
 */
export function exponentialBackoff(backoffFactor: number): (retries: number) => number[] {
  if (typeof backoffFactor !== 'number' || !(backoffFactor >= 0) || backoffFactor === Infinity) {
    throw new RangeError(
      `exponentialBackoff: expected backoffFactor to be a non-negative finite number, got ${String(backoffFactor)}`,
    );
  }
  return (retries) => {
    if (!Number.isInteger(retries) || retries < 0) {
      throw new RangeError(
        `exponentialBackoff: expected retries to be a non-negative integer, got ${String(retries)}`,
      );
    }
    return Array.from({ length: retries }, (_, k) => backoffFactor * 2 ** k);
  };
}

/**
 * The delay in seconds before retry number `retry` (1-based): a number applies to every retry;
 * from a list, retry k takes element `min(k - 1, length - 1)`, so the last value repeats; an
 * empty list means no delay.
 */
export function delayForRetry(delaySeconds: number | readonly number[], retry: number): number {
  if (typeof delaySeconds === 'number') return delaySeconds;
  if (delaySeconds.length === 0) return 0;
  return delaySeconds[Math.min(retry - 1, delaySeconds.length - 1)]!;
}
