import { Observable, type ObservableInput, type ObservedValueOf, type OperatorFunction } from 'rxjs';
import { currentFrame } from '../internal/context.js';
import { ConcurrencyLimitError } from '../limits/concurrency-limit-error.js';
import { SourceSubscriber } from '../internal/source-subscriber.js';
import { LimitedMerge } from '../limits/limited-merge.js';
import { Limiter, occupyError } from '../limits/limiter.js';
import { limiterFor } from '../limits/registry.js';

/** Options of {@link concurrencyLimit}. */
export interface ConcurrencyLimitConfig {
  /** Slots of the limit each inner subscription holds. @default 1 */
  occupy?: number;
}

/**
 * `mergeMap` with its concurrency taken from a limiter: projects each value to an inner
 * Observable (or Promise, array, iterable) and merges their values in completion order, with at
 * most `limit` inner subscriptions live at once. `limit` is a number (a limit of this
 * subscription's own) or the name of a limit made with `createConcurrencyLimit`, whose slots
 * it then shares with `concurrency()` calls and other operators, first come first served (an
 * unknown name is an error). Values waiting for a slot sit in a cursor-indexed buffer, so a
 * large synchronous source costs O(1) per value (RxJS `mergeMap(f, 64)` drains its buffer with
 * `shift()`, O(n²) over 100k values). Unsubscribing unsubscribes every live inner subscription
 * and gives back its slots; so does an error, which is passed on at once.
 * @example
 * ```ts
 * from(userIds).pipe(concurrencyLimit((id) => fetchUser(id), 8)); // at most 8 requests at a time
 * ```
 */
export function concurrencyLimit<T, O extends ObservableInput<unknown>>(
  project: (value: T, index: number) => O,
  limit: number | string,
  config: ConcurrencyLimitConfig = {},
): OperatorFunction<T, ObservedValueOf<O>> {
  const { occupy = 1 } = config;
  if (typeof limit === 'number' && (!Number.isInteger(limit) || limit < 1)) {
    throw new RangeError(
      `concurrencyLimit: expected limit to be a positive integer or a name, got ${String(limit)}`,
    );
  }
  if (!Number.isInteger(occupy) || occupy < 1) {
    throw new RangeError(`concurrencyLimit: expected occupy to be a positive integer, got ${String(occupy)}`);
  }
  if (typeof limit === 'number' && occupy > limit) throw occupyError('concurrencyLimit', occupy, limit);
  return (source) =>
    new Observable<ObservedValueOf<O>>((subscriber) => {
      const limiter =
        typeof limit === 'number'
          ? new Limiter('concurrencyLimit', limit, 0, currentFrame().clock.scheduler)
          : limiterFor(limit);
      if (limiter === undefined) {
        subscriber.error(
          new ConcurrencyLimitError(
            limit as string,
            `concurrencyLimit: there is no concurrency limit named '${limit}' (create it with createConcurrencyLimit)`,
          ),
        );
        return;
      }
      if (limiter.limit > 0 && occupy > limiter.limit) {
        subscriber.error(occupyError(limiter.name, occupy, limiter.limit));
        return;
      }
      const merge = new LimitedMerge<T, ObservedValueOf<O>>(subscriber, project, limiter, occupy);
      const upstream = new SourceSubscriber<T>(merge);
      source.subscribe(upstream);
      return () => {
        upstream.unsubscribe();
        merge.unsubscribe();
      };
    });
}
