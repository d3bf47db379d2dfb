import type { Observable } from 'rxjs';
import { AbortableObservable } from '../internal/attempt-loop.js';
import type { AbortScope } from '../internal/cancel-token.js';

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
  // The attempt loop with no retries and no timeout: one implementation of "call, then settle".
  return new AbortableObservable<T>(factory);
}
