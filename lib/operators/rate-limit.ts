import { assertKnownOptions, optionKeys } from '../internal/validate.js';
import { CursorQueue } from '../internal/cursor-queue.js';
import { SourceSubscriber } from '../internal/source-subscriber.js';
import { Observable, Subscriber, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { currentFrame } from '../internal/context.js';
import { ConcurrencyLimitError } from '../limits/concurrency-limit-error.js';
import { Limiter, occupyError, type SlotPool, type SlotWaiter } from '../limits/limiter.js';
import { LimiterSet } from '../limits/limiter-set.js';
import { checkNames, occupyProblem, resolveLimits } from '../limits/resolve-limits.js';

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
 * calls), a list of such names (each value takes slots of every one, in name order), or
 * `{ limit, slotDecayPerSecond }` for a limit of this subscription's own. Values
 * waiting are buffered; completion waits for them; an error is passed on at once.
 * @example
 * ```ts
 * requests$.pipe(rateLimit({ limit: 1, slotDecayPerSecond: 10 })); // one value every 100 ms
 * ```
 */
export function rateLimit<T>(
  limit: string | readonly string[] | RateLimitSpec,
  config: RateLimitConfig = {},
): MonoTypeOperatorFunction<T> {
  assertKnownOptions('rateLimit', config, RATE_KEYS);
  const { occupy = 1, scheduler } = config;
  if (!Number.isInteger(occupy) || occupy < 1) {
    throw new RangeError(`rateLimit: expected occupy to be a positive integer, got ${String(occupy)}`);
  }
  const named = typeof limit === 'string' || Array.isArray(limit);
  if (Array.isArray(limit)) {
    checkNames('rateLimit', limit);
    if (limit.length === 0) throw new RangeError('rateLimit: expected at least one limit name, got []');
  } else if (typeof limit !== 'string') {
    assertKnownOptions('rateLimit', limit, SPEC_KEYS);
    const { limit: slots, slotDecayPerSecond } = limit as RateLimitSpec;
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
      let limiter: SlotPool;
      if (named) {
        let pool: SlotPool | undefined;
        try {
          pool = resolveLimits('rateLimit', limit as string | readonly string[], true)!;
        } catch (error) {
          subscriber.error(error);
          return;
        }
        const still = (pool instanceof LimiterSet ? pool.members : [pool as Limiter]).find(
          (m) => !(m.decayPerSecond > 0),
        );
        if (still !== undefined) {
          subscriber.error(
            new ConcurrencyLimitError(
              still.name,
              `rateLimit: concurrency limit '${still.name}' has no slot decay, so its slots would never come back`,
            ),
          );
          return;
        }
        limiter = pool;
      } else {
        const spec = limit as RateLimitSpec;
        limiter = new Limiter(
          'rateLimit',
          spec.limit,
          spec.slotDecayPerSecond,
          scheduler ?? currentFrame().clock.scheduler,
        );
      }
      const problem = occupyProblem(limiter, occupy);
      if (problem !== undefined) {
        subscriber.error(problem);
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
    private readonly limiter: SlotPool,
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

const RATE_KEYS = optionKeys<RateLimitConfig>({ occupy: true, scheduler: true });
const SPEC_KEYS = optionKeys<RateLimitSpec>({ limit: true, slotDecayPerSecond: true });
