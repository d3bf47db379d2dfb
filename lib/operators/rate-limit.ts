import { CursorQueue } from '../internal/cursor-queue.js';
import { SourceSubscriber } from '../internal/source-subscriber.js';
import { Observable, Subscriber, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { currentFrame } from '../internal/context.js';
import { ConcurrencyLimitError } from '../limits/concurrency-limit-error.js';
import { Limiter, occupyError, type SlotWaiter } from '../limits/limiter.js';
import { limiterFor } from '../limits/registry.js';

/** A rate limit of one subscription's own, for {@link rateLimit}. */
export interface RateLimitSpec {
  /** Slots available in a burst. */
  limit: number;
  /** Slots given back per second. */
  slotDecayPerSecond: number;
}

/** Options of {@link rateLimit}. */
export interface RateLimitConfig {
  /** Slots each value takes. @default 1 */
  occupy?: number;
  /** Clock of an own limit's decay (a named limit keeps its own). @default the current clock (`asyncScheduler` outside `withVirtualTime`) */
  scheduler?: SchedulerLike;
}

/**
 * Delays values so they pass at a limit's rate: each value takes `occupy` slots of the limit,
 * which come back only by decay, so at most `limit` pass in a burst and then
 * `slotDecayPerSecond / occupy` per second, in source order. `limit` is the name of a limit
 * made with `createConcurrencyLimit` with `slotDecayPerSecond` (shared with `rateLimit()`
 * calls), or `{ limit, slotDecayPerSecond }` for a limit of this subscription's own. Values
 * waiting are buffered; completion waits for them; an error is passed on at once.
 * @example
 * ```ts
 * requests$.pipe(rateLimit({ limit: 1, slotDecayPerSecond: 10 })); // one value every 100 ms
 * ```
 */
export function rateLimit<T>(
  limit: string | RateLimitSpec,
  config: RateLimitConfig = {},
): MonoTypeOperatorFunction<T> {
  const { occupy = 1, scheduler } = config;
  if (!Number.isInteger(occupy) || occupy < 1) {
    throw new RangeError(`rateLimit: expected occupy to be a positive integer, got ${String(occupy)}`);
  }
  if (typeof limit !== 'string') {
    const { limit: slots, slotDecayPerSecond } = limit;
    if (!Number.isInteger(slots) || slots < 1) {
      throw new RangeError(`rateLimit: expected limit to be a positive integer, got ${String(slots)}`);
    }
    if (!(slotDecayPerSecond > 0) || slotDecayPerSecond === Infinity) {
      throw new RangeError(
        `rateLimit: expected slotDecayPerSecond to be a positive finite number, got ${String(slotDecayPerSecond)}`,
      );
    }
    if (occupy > slots) throw occupyError('rateLimit', occupy, slots);
  }
  return (source) =>
    new Observable<T>((subscriber) => {
      const limiter =
        typeof limit === 'string'
          ? limiterFor(limit)
          : new Limiter(
              'rateLimit',
              limit.limit,
              limit.slotDecayPerSecond,
              scheduler ?? currentFrame().clock.scheduler,
            );
      if (limiter === undefined || !(limiter.decayPerSecond > 0)) {
        const name = limit as string;
        subscriber.error(
          new ConcurrencyLimitError(
            name,
            limiter === undefined
              ? `rateLimit: there is no concurrency limit named '${name}' (create it with createConcurrencyLimit)`
              : `rateLimit: concurrency limit '${name}' has no slot decay, so its slots would never come back`,
          ),
        );
        return;
      }
      if (limiter.limit > 0 && occupy > limiter.limit) {
        subscriber.error(occupyError(limiter.name, occupy, limiter.limit));
        return;
      }
      const spacer = new Spacer<T>(subscriber, limiter, occupy);
      const upstream = new SourceSubscriber<T>(spacer);
      source.subscribe(upstream);
      return () => {
        upstream.unsubscribe();
        spacer.unsubscribe();
      };
    });
}

/** Passes values on as the limiter grants them, buffering the rest behind a cursor. */
class Spacer<T> implements SlotWaiter {
  queueIndex = -1;
  private readonly buffer = new CursorQueue<T>();
  private sourceDone = false;

  constructor(
    readonly out: Subscriber<T>,
    private readonly limiter: Limiter,
    readonly occupy: number,
  ) {}

  push(value: T): void {
    if (this.buffer.isEmpty && this.queueIndex < 0 && this.limiter.tryAcquire(this.occupy)) {
      this.out.next(value);
    } else {
      this.buffer.push(value);
      if (this.queueIndex < 0) this.limiter.enqueue(this);
    }
  }

  sourceComplete(): void {
    this.sourceDone = true;
    if (this.buffer.isEmpty) this.out.complete();
  }

  grant(): void {
    const value = this.buffer.take();
    if (!this.buffer.isEmpty) this.limiter.enqueue(this);
    this.out.next(value);
    if (this.sourceDone && this.buffer.isEmpty) this.out.complete();
  }

  fail(error: unknown): void {
    this.out.error(error);
  }

  /** Leaves the limiter's queue and drops the values still waiting. */
  unsubscribe(): void {
    this.limiter.remove(this);
    this.buffer.clear();
  }
}
