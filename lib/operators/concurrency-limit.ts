import { assertKnownOptions, optionKeys } from '../internal/validate.js';
import { Observable, type ObservableInput, type ObservedValueOf, type OperatorFunction } from 'rxjs';
import { currentFrame } from '../internal/context.js';
import { SourceSubscriber } from '../internal/source-subscriber.js';
import { LimitedMerge } from '../limits/limited-merge.js';
import { Limiter, occupyError, type SlotPool } from '../limits/limiter.js';
import { checkNames, occupyProblem, resolveLimits } from '../limits/resolve-limits.js';

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
 * unknown name is an error); a list of names holds slots of every one of them for each inner
 * subscription, taken in name order as `concurrency([...])` does. Values waiting for a slot
 * sit in a cursor-indexed buffer, so a large synchronous source costs O(1) per value (RxJS
 * `mergeMap(f, 64)` drains its buffer with `shift()`, O(n²) over 100k values). Unsubscribing unsubscribes every live inner subscription
 * and gives back its slots; so does an error, which is passed on at once.
 * @example
 * ```ts
 * from(userIds).pipe(concurrencyLimit((id) => fetchUser(id), 8)); // at most 8 requests at a time
 * from(tables).pipe(concurrencyLimit((t) => copy(t), ['database', 'warehouse'])); // shared limits
 * ```
 */
export function concurrencyLimit<T, O extends ObservableInput<unknown>>(
  project: (value: T, index: number) => O,
  limit: number | string | readonly string[],
  config: ConcurrencyLimitConfig = {},
): OperatorFunction<T, ObservedValueOf<O>> {
  assertKnownOptions('concurrencyLimit', config, LIMIT_KEYS);
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
  if (typeof limit === 'object') {
    checkNames('concurrencyLimit', limit);
    if (limit.length === 0)
      throw new RangeError('concurrencyLimit: expected at least one limit name, got []');
  }
  return (source) =>
    new Observable<ObservedValueOf<O>>((subscriber) => {
      let limiter: SlotPool | undefined;
      try {
        limiter =
          typeof limit === 'number'
            ? new Limiter('concurrencyLimit', limit, 0, currentFrame().clock.scheduler)
            : resolveLimits('concurrencyLimit', limit, true);
      } catch (error) {
        subscriber.error(error);
        return;
      }
      const problem = occupyProblem(limiter!, occupy);
      if (problem !== undefined) {
        subscriber.error(problem);
        return;
      }
      const merge = new LimitedMerge<T, ObservedValueOf<O>>(subscriber, project, limiter!, occupy);
      const upstream = new SourceSubscriber<T>(merge);
      source.subscribe(upstream);
      return () => {
        upstream.unsubscribe();
        merge.unsubscribe();
      };
    });
}

const LIMIT_KEYS = optionKeys<ConcurrencyLimitConfig>({ occupy: true });
