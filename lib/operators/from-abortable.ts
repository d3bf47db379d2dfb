import { isObservable, Observable } from 'rxjs';
import { CancelledError } from '../errors/cancelled-error.js';
import { takeAbortReason } from '../internal/abort-reason.js';
import { FnSubscriber } from '../internal/fn-subscriber.js';
import { isThenable } from '../internal/is-thenable.js';
import { CancelToken, type AbortScope } from '../internal/cancel-token.js';

export type { AbortScope } from '../internal/cancel-token.js';

/** What an abortable factory may return: a plain value, a Promise (or thenable), or an Observable. */
export type AbortableResult<T> = T | PromiseLike<T> | Observable<T>;

/**
 * A cold Observable that calls `factory` on each subscription with a scope whose
 * `signal` aborts when the subscriber unsubscribes before the work finished (for instance
 * because `timeoutWithAbort` fired). The signal is created only if `factory` reads it.
 * Anything `factory` throws or rejects with, even a non-Error, becomes the Observable's error.
 * @example
 * ```ts
 * const user$ = fromAbortable(({ signal }) => fetch('/user', { signal }).then((r) => r.json()));
 * user$.pipe(timeoutWithAbort({ seconds: 5 })).subscribe(console.log);
 * ```
 */
export function fromAbortable<T>(factory: (scope: AbortScope) => AbortableResult<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const token = new CancelToken();
    let result: AbortableResult<T>;
    try {
      result = factory(token);
    } catch (error) {
      subscriber.error(error);
      return;
    }
    // Set before forwarding the outcome: forwarding tears this subscription down, and that
    // teardown must not abort work that has already finished.
    let settled = false;
    // Promises first: they are what task bodies return, and the Observable test looks up a
    // property (`lift`) that a Promise does not have.
    if (isThenable<T>(result)) {
      result.then(
        (value) => {
          settled = true;
          subscriber.next(value);
          subscriber.complete();
        },
        (error: unknown) => {
          settled = true;
          subscriber.error(error);
        },
      );
      return () => {
        if (!settled) token.abort(takeAbortReason(unsubscribed));
      };
    }
    if (isObservable(result)) {
      const inner = result.subscribe(
        new FnSubscriber<T>(
          (value) => subscriber.next(value),
          (error) => {
            settled = true;
            subscriber.error(error);
          },
          () => {
            settled = true;
            subscriber.complete();
          },
        ),
      );
      return () => {
        if (!settled) {
          inner.unsubscribe();
          token.abort(takeAbortReason(unsubscribed));
        }
      };
    }
    subscriber.next(result);
    subscriber.complete();
  });
}

function unsubscribed(): CancelledError {
  return new CancelledError('Aborted: the subscriber unsubscribed before the work finished');
}
