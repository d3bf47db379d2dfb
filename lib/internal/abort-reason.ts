import { shared } from './shared.js';

/**
 * @internal Unsubscribing carries no reason in RxJS. An operator that unsubscribes for a known
 * reason (a timeout) sets it here around the call, and `fromAbortable` aborts with it instead
 * of a generic CancelledError, so user code sees `signal.reason` as the TimeoutError.
 */
const reason = shared('abortReason', (): { pending: unknown } => ({ pending: undefined }));

export function unsubscribeWithReason(next: unknown, unsubscribe: () => void): void {
  const previous = reason.pending;
  reason.pending = next;
  try {
    unsubscribe();
  } finally {
    reason.pending = previous;
  }
}

export function takeAbortReason(fallback: () => unknown): unknown {
  return reason.pending !== undefined ? reason.pending : fallback();
}
