import fc from 'fast-check';
import { concat, defer, lastValueFrom, Observable, of, take, throwError, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { NonRetriableError } from '../../lib/errors/non-retriable-error.js';
import { setErrorReporter } from '../../lib/internal/report.js';
import {
  retryWithBackoff,
  type RetryEvent,
  type RetryScheduledEvent,
  type RetryWithBackoffConfig,
} from '../../lib/operators/retry-with-backoff.js';
import { delayForRetry, exponentialBackoff } from '../../lib/policies/backoff.js';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Subscribes to each given attempt in turn, one per subscription. */
function attempts<T>(...sources: ReadonlyArray<Observable<T>>): Observable<T> {
  let i = 0;
  return defer(() => sources[Math.min(i++, sources.length - 1)]!);
}

/** A source that fails synchronously `failures` times, then emits 'ok'; records subscription times. */
function flaky(failures: number, now: () => number) {
  const times: number[] = [];
  const errors: Error[] = [];
  const source = defer(() => {
    times.push(now());
    if (times.length > failures) return of('ok');
    const error = new Error(`failure ${times.length}`);
    errors.push(error);
    return throwError(() => error);
  });
  return { source, times, errors };
}

/** mulberry32: a seeded uniform random source in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Delays in seconds exact in binary floating point, so virtual times add up exactly. */
const quarterSeconds = fc.integer({ min: 0, max: 40 }).map((n) => n / 4);
const delayConfig: fc.Arbitrary<number | readonly number[]> = fc.oneof(
  quarterSeconds,
  fc.array(quarterSeconds, { maxLength: 5 }),
  fc
    .tuple(
      fc.integer({ min: 0, max: 8 }).map((n) => n / 4),
      fc.integer({ min: 0, max: 6 }),
    )
    .map(([factor, count]) => exponentialBackoff(factor)(count)),
);

describe('retryWithBackoff', () => {
  describe('marbles', () => {
    it('should resubscribe at once for a zero delay, up to `retries` times', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('--#');
        expectObservable(source.pipe(retryWithBackoff({ retries: 2 }))).toBe('------#');
        expectSubscriptions(source.subscriptions).toBe(['^-!', '--^-!', '----^-!']);
      });
    });

    it('should resubscribe after exactly the delay', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('--#');
        expectObservable(source.pipe(retryWithBackoff({ retries: 2, delaySeconds: 0.01 }))).toBe('26ms #');
        expectSubscriptions(source.subscriptions).toBe(['^-!', '12ms ^-!', '24ms ^-!']);
      });
    });

    it('should take delays from a list and repeat the last one', () => {
      const scheduler = testScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('--#');
        const retried = source.pipe(retryWithBackoff({ retries: 3, delaySeconds: [0.01, 0.02], scheduler }));
        expectObservable(retried).toBe('58ms #');
        expectSubscriptions(source.subscriptions).toBe(['^-!', '12ms ^-!', '34ms ^-!', '56ms ^-!']);
      });
    });

    it('should pass values of every attempt and stop at the first success', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold('-a#');
        const second = cold('-b|');
        const third = cold('-c|');
        expectObservable(attempts(first, second, third).pipe(retryWithBackoff({ retries: 5 }))).toBe('-a-b|');
        expectSubscriptions(first.subscriptions).toBe('^-!');
        expectSubscriptions(second.subscriptions).toBe('--^-!');
        expectSubscriptions(third.subscriptions).toBe([]);
      });
    });

    it('should pass the last error through once retries are exhausted', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        const first = cold('-#', undefined, 'first');
        const second = cold('-#', undefined, 'second');
        expectObservable(attempts(first, second).pipe(retryWithBackoff({ retries: 1 }))).toBe(
          '--#',
          undefined,
          'second',
        );
      });
    });

    it('should cancel a pending retry when unsubscribed during the delay', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('--#');
        expectObservable(source.pipe(retryWithBackoff({ retries: 3, delaySeconds: 0.01 })), '^----!').toBe(
          '',
        );
        expectSubscriptions(source.subscriptions).toBe('^-!');
      });
    });

    it('should unsubscribe the running attempt when unsubscribed', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold('--#');
        const second = cold('----|');
        const retried = attempts(first, second).pipe(retryWithBackoff({ retries: 3, delaySeconds: 0.01 }));
        expectObservable(retried, '^ 13ms !').toBe('');
        expectSubscriptions(first.subscriptions).toBe('^-!');
        expectSubscriptions(second.subscriptions).toBe('12ms ^-!');
      });
    });

    it('should spread the delay by the jitter factor with the injected random source', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const low = cold('--#');
        const high = cold('--#');
        const config = { retries: 1, delaySeconds: 0.02, jitterFactor: 0.5 };
        expectObservable(low.pipe(retryWithBackoff({ ...config, random: () => 0 }))).toBe('14ms #');
        expectObservable(high.pipe(retryWithBackoff({ ...config, random: () => 0.75 }))).toBe('29ms #');
        expectSubscriptions(low.subscriptions).toBe(['^-!', '12ms ^-!']);
        expectSubscriptions(high.subscriptions).toBe(['^-!', '27ms ^-!']);
      });
    });

    it('should never retry a NonRetriableError, whatever shouldRetry says', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = new NonRetriableError('stop');
        const source = cold('--#', undefined, error);
        const shouldRetry = jest.fn(() => true);
        expectObservable(source.pipe(retryWithBackoff({ retries: 5, shouldRetry }))).toBe(
          '--#',
          undefined,
          error,
        );
        expectSubscriptions(source.subscriptions).toBe('^-!');
        expect(shouldRetry).not.toHaveBeenCalled();
      });
    });
  });

  describe('hooks', () => {
    it('should tell onRetryScheduled and onRetry about each retry, in order, at the right times', () => {
      const scheduler = testScheduler();
      const log: Array<[string, number, RetryScheduledEvent | RetryEvent]> = [];
      let source: Observable<never> | undefined;
      scheduler.run(({ cold, expectObservable }) => {
        source = cold<never>('--#', undefined, 'boom');
        const retried = source.pipe(
          retryWithBackoff({
            retries: 2,
            delaySeconds: [0, 0.01],
            onRetryScheduled: (event) => log.push(['scheduled', scheduler.now(), event]),
            onRetry: (event) => log.push(['retry', scheduler.now(), event]),
          }),
        );
        expectObservable(retried).toBe('16ms #', undefined, 'boom');
      });
      expect(log).toEqual([
        ['retry', 2, { attempt: 2, error: 'boom' }],
        ['scheduled', 4, { attempt: 2, error: 'boom', delayMs: 10, scheduledTime: 14 }],
        ['retry', 14, { attempt: 3, error: 'boom' }],
      ]);
    });

    it('should report the jittered delay', () => {
      const scheduler = new VirtualTimeScheduler();
      const scheduled: RetryScheduledEvent[] = [];
      throwError(() => 'x')
        .pipe(
          retryWithBackoff({
            retries: 1,
            delaySeconds: 1,
            jitterFactor: 0.1,
            random: () => 1 - 2 ** -53,
            scheduler,
            onRetryScheduled: (e) => scheduled.push(e),
          }),
        )
        .subscribe({ error: () => {} });
      scheduler.flush();
      expect(scheduled).toHaveLength(1);
      expect(scheduled[0]!.delayMs).toBeCloseTo(1100, 9);
      expect(scheduled[0]!.scheduledTime).toBe(scheduled[0]!.delayMs);
    });
  });

  describe('shouldRetry', () => {
    it('should be asked with the error and the failed attempt number', () => {
      const { source, errors } = flaky(Infinity, () => 0);
      const shouldRetry = jest.fn((_error: unknown, attempt: number) => attempt < 3);
      source.pipe(retryWithBackoff({ retries: 5, shouldRetry })).subscribe({ error: () => {} });
      expect(shouldRetry.mock.calls).toEqual([
        [errors[0], 1],
        [errors[1], 2],
        [errors[2], 3],
      ]);
    });

    it('should stop on a falsy verdict and retry on any truthy one', () => {
      for (const [verdict, subscriptions] of [
        [false, 1],
        [0, 1],
        ['', 1],
        [null, 1],
        [undefined, 1],
        [true, 3],
        ['yes', 3],
        [1, 3],
      ] as const) {
        const { source, times } = flaky(Infinity, () => 0);
        source
          .pipe(retryWithBackoff({ retries: 2, shouldRetry: () => verdict }))
          .subscribe({ error: () => {} });
        expect([verdict, times.length]).toEqual([verdict, subscriptions]);
      }
    });

    it('should stop with the original error when shouldRetry throws, and report the throw', () => {
      const { source, errors, times } = flaky(Infinity, () => 0);
      const error = jest.fn();
      const reported: unknown[] = [];
      const restore = setErrorReporter((message, e) => reported.push(message, (e as Error).message));
      source
        .pipe(
          retryWithBackoff({
            retries: 3,
            shouldRetry: () => {
              throw new Error('predicate broke');
            },
          }),
        )
        .subscribe({ error });
      restore();
      expect(times).toHaveLength(1);
      expect(error.mock.calls).toEqual([[errors[0]]]);
      expect(reported).toEqual([
        'retryWithBackoff: the retry condition failed, so the failure is not retried',
        'predicate broke',
      ]);
    });

    it('should wait for a promised verdict', async () => {
      const { source, times } = flaky(2, () => 0);
      await expect(
        lastValueFrom(
          source.pipe(retryWithBackoff({ retries: 3, shouldRetry: () => Promise.resolve(true) })),
        ),
      ).resolves.toBe('ok');
      expect(times).toHaveLength(3);
    });

    it('should stop on a promise of a falsy verdict and on a rejected promise', async () => {
      for (const verdict of [() => Promise.resolve(false), () => Promise.reject(new Error('no'))]) {
        const { source, errors, times } = flaky(Infinity, () => 0);
        await expect(
          lastValueFrom(source.pipe(retryWithBackoff({ retries: 3, shouldRetry: verdict }))),
        ).rejects.toBe(errors[0]);
        expect(times).toHaveLength(1);
      }
    });

    it('should not retry when unsubscribed while a promised verdict is pending', async () => {
      const { source, times } = flaky(Infinity, () => 0);
      let resolve: (value: boolean) => void = () => {};
      const error = jest.fn();
      const subscription = source
        .pipe(retryWithBackoff({ retries: 3, shouldRetry: () => new Promise<boolean>((r) => (resolve = r)) }))
        .subscribe({ error });
      subscription.unsubscribe();
      resolve(true);
      await new Promise((r) => setImmediate(r));
      expect(times).toHaveLength(1);
      expect(error).not.toHaveBeenCalled();
    });
  });

  describe('synchronous sources', () => {
    it('should retry a synchronously failing source synchronously for zero delays', () => {
      const { source, times } = flaky(Infinity, () => 0);
      const error = jest.fn();
      source.pipe(retryWithBackoff({ retries: 3 })).subscribe({ error });
      expect(times).toHaveLength(4);
      expect(error).toHaveBeenCalledTimes(1);
    });

    it('should unsubscribe the live attempt after a synchronous failure and retry', () => {
      let live = 0;
      const hanging = new Observable<never>(() => {
        live++;
        return () => live--;
      });
      // An error handler: an error here must fail this test, not reach RxJS's unhandled-error hook.
      const error = jest.fn();
      const subscription = attempts<never>(
        throwError(() => new Error('sync')),
        hanging,
      )
        .pipe(retryWithBackoff({ retries: 1 }))
        .subscribe({ error });
      expect(live).toBe(1);
      subscription.unsubscribe();
      expect(live).toBe(0);
      expect(error).not.toHaveBeenCalled();
    });

    it('should not resubscribe once the subscriber has gone', () => {
      let subscriptions = 0;
      const source = defer(() => {
        subscriptions++;
        return concat(
          of(1),
          throwError(() => new Error('after value')),
        );
      });
      const values: number[] = [];
      source.pipe(retryWithBackoff({ retries: 5 }), take(1)).subscribe((v) => values.push(v));
      expect(values).toEqual([1]);
      expect(subscriptions).toBe(1);
    });

    it('should not hold a timer after success', () => {
      const scheduler = new VirtualTimeScheduler();
      const { source } = flaky(1, () => scheduler.now());
      const error = jest.fn();
      source.pipe(retryWithBackoff({ retries: 1, delaySeconds: 2, scheduler })).subscribe({ error });
      scheduler.flush();
      expect(error).not.toHaveBeenCalled();
      expect(scheduler.now()).toBe(2000);
      expect(scheduler.actions).toHaveLength(0);
    });
  });

  describe('properties', () => {
    it('should subscribe min(failures, retries) + 1 times, exactly delayForRetry apart', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 6 }),
          fc.integer({ min: 0, max: 8 }),
          delayConfig,
          (retries, failures, delaySeconds) => {
            const scheduler = new VirtualTimeScheduler();
            const { source, times, errors } = flaky(failures, () => scheduler.now());
            const outcome: unknown[] = [];
            source.pipe(retryWithBackoff({ retries, delaySeconds, scheduler })).subscribe({
              next: (v) => outcome.push(v),
              error: (e) => outcome.push(e),
            });
            scheduler.flush();

            expect(times).toHaveLength(Math.min(failures, retries) + 1);
            const gaps = times.slice(1).map((t, i) => t - times[i]!);
            expect(gaps).toEqual(gaps.map((_, i) => delayForRetry(delaySeconds, i + 1) * 1000));
            expect(outcome).toEqual(failures <= retries ? ['ok'] : [errors[retries]]);
          },
        ),
      );
    });

    it('should keep each jittered gap within delay × (1 ± jitterFactor)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 6 }),
          fc.integer({ min: 0, max: 8 }),
          delayConfig,
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.integer(),
          (retries, failures, delaySeconds, jitterFactor, seed) => {
            const scheduler = new VirtualTimeScheduler();
            const { source, times } = flaky(failures, () => scheduler.now());
            const scheduled: RetryScheduledEvent[] = [];
            source
              .pipe(
                retryWithBackoff({
                  retries,
                  delaySeconds,
                  jitterFactor,
                  random: seeded(seed),
                  scheduler,
                  onRetryScheduled: (e) => scheduled.push(e),
                }),
              )
              .subscribe({ error: () => {} });
            scheduler.flush();

            expect(times).toHaveLength(Math.min(failures, retries) + 1);
            const epsilon = 1e-6;
            times.slice(1).forEach((t, i) => {
              const gap = t - times[i]!;
              const delay = delayForRetry(delaySeconds, i + 1) * 1000;
              expect(gap).toBeGreaterThanOrEqual(delay * (1 - jitterFactor) - epsilon);
              expect(gap).toBeLessThanOrEqual(delay * (1 + jitterFactor) + epsilon);
            });
            // Only retries that actually wait are announced.
            expect(scheduled.length).toBe(times.slice(1).filter((t, i) => t > times[i]!).length);
          },
        ),
      );
    });

    it('should stop after k attempts when shouldRetry refuses attempt k', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 6 }),
          fc.integer({ min: 1, max: 8 }),
          fc.boolean(),
          (retries, k, delayed) => {
            const scheduler = new VirtualTimeScheduler();
            const { source, times } = flaky(Infinity, () => scheduler.now());
            const asked: number[] = [];
            const config: RetryWithBackoffConfig = {
              retries,
              delaySeconds: delayed ? 0.5 : 0,
              scheduler,
              shouldRetry: (_error, attempt) => {
                asked.push(attempt);
                return attempt < k;
              },
            };
            source.pipe(retryWithBackoff(config)).subscribe({ error: () => {} });
            scheduler.flush();

            expect(times).toHaveLength(Math.min(k, retries + 1));
            expect(asked).toEqual(Array.from({ length: Math.min(k, retries) }, (_, i) => i + 1));
          },
        ),
      );
    });
  });

  describe('validation', () => {
    const make = (config: Partial<Record<keyof RetryWithBackoffConfig, unknown>>) => () =>
      retryWithBackoff({ retries: 1, ...config } as RetryWithBackoffConfig);

    it('should reject bad retries with a RangeError naming the option', () => {
      expect(make({ retries: -1 })).toThrow(RangeError);
      expect(make({ retries: -1 })).toThrowErrorMatchingInlineSnapshot(
        `"retryWithBackoff: expected retries to be a non-negative finite number, got -1"`,
      );
      expect(make({ retries: NaN })).toThrowErrorMatchingInlineSnapshot(
        `"retryWithBackoff: expected retries to be a non-negative finite number, got NaN"`,
      );
      expect(make({ retries: 1.5 })).toThrowErrorMatchingInlineSnapshot(
        `"retryWithBackoff: expected retries to be a non-negative integer, got 1.5"`,
      );
      expect(make({ retries: Infinity })).toThrowErrorMatchingInlineSnapshot(
        `"retryWithBackoff: expected retries to be a non-negative finite number, got Infinity"`,
      );
      expect(make({ retries: undefined })).toThrowErrorMatchingInlineSnapshot(
        `"retryWithBackoff: expected retries to be a non-negative finite number, got undefined"`,
      );
    });

    it('should reject bad delays with a RangeError naming the option and the index', () => {
      expect(make({ delaySeconds: -1 })).toThrow(RangeError);
      expect(make({ delaySeconds: -1 })).toThrowErrorMatchingInlineSnapshot(
        `"retryWithBackoff: expected delaySeconds to be a non-negative finite number, got -1"`,
      );
      expect(make({ delaySeconds: [1, -2] })).toThrowErrorMatchingInlineSnapshot(
        `"retryWithBackoff: expected delaySeconds[1] to be a non-negative finite number, got -2"`,
      );
      expect(make({ delaySeconds: [NaN] })).toThrowErrorMatchingInlineSnapshot(
        `"retryWithBackoff: expected delaySeconds[0] to be a non-negative finite number, got NaN"`,
      );
      expect(make({ delaySeconds: '5' })).toThrowErrorMatchingInlineSnapshot(
        `"retryWithBackoff: expected delaySeconds to be a non-negative finite number, got 5"`,
      );
    });

    it('should reject a bad jitter factor with a RangeError naming the option', () => {
      expect(make({ jitterFactor: -0.1 })).toThrow(RangeError);
      expect(make({ jitterFactor: -0.1 })).toThrowErrorMatchingInlineSnapshot(
        `"retryWithBackoff: expected jitterFactor to be a non-negative finite number, got -0.1"`,
      );
      expect(make({ jitterFactor: NaN })).toThrowErrorMatchingInlineSnapshot(
        `"retryWithBackoff: expected jitterFactor to be a non-negative finite number, got NaN"`,
      );
    });

    it('should accept the edges: no retries, zero delays, an empty list', () => {
      expect(make({ retries: 0, delaySeconds: 0, jitterFactor: 0 })).not.toThrow();
      expect(make({ delaySeconds: [] })).not.toThrow();
    });
  });
});
