/**
 * @internal Unsubscribing carries no reason in RxJS. An operator that unsubscribes for a known
 * reason (a timeout) sets it here around the call, and `fromAbortable` aborts with it instead
 * of a generic CancelledError, so user code sees `signal.reason` as the TimeoutError.
 */
let pending: unknown = undefined;

export function unsubscribeWithReason(reason: unknown, unsubscribe: () => void): void {
  const previous = pending;
  pending = reason;
  try {
    unsubscribe();
  } finally {
    pending = previous;
  }
}

export function takeAbortReason(fallback: () => unknown): unknown {
  return pending !== undefined ? pending : fallback();
}
