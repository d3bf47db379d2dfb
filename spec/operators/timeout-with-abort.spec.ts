import { map, NEVER, Observable, of, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { isCancelledError } from '../../lib/errors/cancelled-error.js';
import { isTimeoutError, TimeoutError } from '../../lib/errors/timeout-error.js';
import { fromAbortable } from '../../lib/operators/from-abortable.js';
import { timeoutWithAbort } from '../../lib/operators/timeout-with-abort.js';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Work that only ends by being aborted. */
const forever = <T>() => new Promise<T>(() => {});

describe('timeoutWithAbort', () => {
  it('should pass values and completion through when the source finishes in time', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|');
      expectObservable(source.pipe(timeoutWithAbort({ seconds: 0.01 }))).toBe('-a-b-|');
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('should error with a TimeoutError and unsubscribe the source at exactly the timeout frame', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a 20ms b-|');
      expectObservable(source.pipe(timeoutWithAbort({ seconds: 0.01 }))).toBe(
        '-a 8ms #',
        undefined,
        new TimeoutError(0.01),
      );
      expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
    });
  });

  it('should use the given scheduler', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--- 1s |');
      expectObservable(source.pipe(timeoutWithAbort({ seconds: 1, scheduler }))).toBe(
        '1s #',
        undefined,
        new TimeoutError(1),
      );
      expectSubscriptions(source.subscriptions).toBe('^ 999ms !');
    });
  });

  it('should time each subscription from its own start', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a 50ms |');
      const timed = source.pipe(timeoutWithAbort({ seconds: 0.01 }));
      const error = new TimeoutError(0.01);
      expectObservable(timed).toBe('-a 8ms #', undefined, error);
      expectObservable(timed, '---^').toBe('----a 8ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['^ 9ms !', '---^ 9ms !']);
    });
  });

  it("should pass the source's error through before the timeout", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', undefined, 'bad');
      expectObservable(source.pipe(timeoutWithAbort({ seconds: 0.01 }))).toBe('--#', undefined, 'bad');
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('should stop the timer when unsubscribed first', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a 50ms |');
      expectObservable(source.pipe(timeoutWithAbort({ seconds: 0.01 })), '^---!').toBe('-a--');
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('should be the identity for 0 seconds', () => {
    const source = of(1);
    expect(timeoutWithAbort({ seconds: 0 })(source)).toBe(source);
  });

  it('should error with a real TimeoutError naming what timed out', () => {
    const scheduler = new VirtualTimeScheduler();
    const error = jest.fn();
    NEVER.pipe(timeoutWithAbort({ seconds: 2, scheduler, what: "Task run 'load-1'" })).subscribe({ error });
    scheduler.flush();
    expect(error).toHaveBeenCalledTimes(1);
    const timeout: unknown = error.mock.calls[0]![0];
    expect(isTimeoutError(timeout)).toBe(true);
    expect((timeout as TimeoutError).timeoutSeconds).toBe(2);
    expect((timeout as TimeoutError).message).toMatchInlineSnapshot(
      `"Task run 'load-1' timed out after 2 seconds"`,
    );
    expect(scheduler.now()).toBe(2000);
  });

  it('should leave no timer armed after the source finished', () => {
    const scheduler = new VirtualTimeScheduler();
    of(1)
      .pipe(timeoutWithAbort({ seconds: 100, scheduler }))
      .subscribe();
    const late = new Observable<never>(() => {}).pipe(timeoutWithAbort({ seconds: 100, scheduler }));
    const subscription = late.subscribe();
    scheduler.schedule(() => subscription.unsubscribe(), 5);
    scheduler.flush();
    // A timer left armed would have moved the virtual clock on to 100 000.
    expect(scheduler.now()).toBe(5);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('should time out many concurrent subscriptions, each at its own time', () => {
    const scheduler = new VirtualTimeScheduler();
    const timedOut: Array<[number, number]> = [];
    const expected: Array<[number, number]> = [];
    for (let i = 0; i < 40; i++) {
      const seconds = ((i * 7) % 5) + 1;
      const startAt = (i % 3) * 100;
      expected.push([i, startAt + seconds * 1000]);
      scheduler.schedule(() => {
        NEVER.pipe(timeoutWithAbort({ seconds, scheduler })).subscribe({
          error: () => timedOut.push([i, scheduler.now()]),
        });
      }, startAt);
    }
    scheduler.flush();
    const byId = (a: [number, number], b: [number, number]) => a[0] - b[0];
    expect(timedOut.sort(byId)).toEqual(expected);
  });

  describe('with fromAbortable', () => {
    it("should abort the source's signal with the TimeoutError it errors with", () => {
      const scheduler = testScheduler();
      const events: string[] = [];
      let signal: AbortSignal | undefined;
      let emitted: unknown;
      scheduler.run(() => {
        fromAbortable(({ signal: s }) => {
          signal = s;
          s.addEventListener('abort', () => events.push(`abort@${scheduler.now()}`));
          return forever<number>();
        })
          .pipe(timeoutWithAbort({ seconds: 0.05 }))
          .subscribe({
            error: (error) => {
              emitted = error;
              events.push(`error@${scheduler.now()}`);
            },
          });
      });
      expect(events).toEqual(['abort@50', 'error@50']);
      expect(isTimeoutError(signal!.reason)).toBe(true);
      expect(signal!.reason).toBe(emitted);
    });

    it('should carry the TimeoutError through operators in between', () => {
      const scheduler = new VirtualTimeScheduler();
      let signal: AbortSignal | undefined;
      fromAbortable(({ signal: s }) => ((signal = s), forever<number>()))
        .pipe(
          map((x) => x * 2),
          timeoutWithAbort({ seconds: 1, scheduler }),
        )
        .subscribe({ error: () => {} });
      scheduler.flush();
      expect(isTimeoutError(signal!.reason)).toBe(true);
    });

    it('should unsubscribe an inner Observable at the timeout frame, aborting with the TimeoutError', () => {
      let signal: AbortSignal | undefined;
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const inner = cold('-a 50ms |');
        const timed = fromAbortable((scope) => ((signal = scope.signal), inner)).pipe(
          timeoutWithAbort({ seconds: 0.01 }),
        );
        expectObservable(timed).toBe('-a 8ms #', undefined, new TimeoutError(0.01));
        expectSubscriptions(inner.subscriptions).toBe('^ 9ms !');
      });
      expect(isTimeoutError(signal!.reason)).toBe(true);
    });

    it('should abort with a CancelledError when unsubscribed before the timeout', () => {
      const scheduler = new VirtualTimeScheduler();
      let signal: AbortSignal | undefined;
      const subscription = fromAbortable(({ signal: s }) => ((signal = s), forever<number>()))
        .pipe(timeoutWithAbort({ seconds: 1, scheduler }))
        .subscribe();
      scheduler.schedule(() => subscription.unsubscribe(), 500);
      scheduler.flush();
      expect(isCancelledError(signal!.reason)).toBe(true);
      expect(scheduler.now()).toBe(500);
    });

    it('should not let the timeout reason leak into a later, unrelated unsubscription', () => {
      const scheduler = new VirtualTimeScheduler();
      fromAbortable(() => forever<number>())
        .pipe(timeoutWithAbort({ seconds: 1, scheduler }))
        .subscribe({ error: () => {} });
      scheduler.flush();
      let signal: AbortSignal | undefined;
      fromAbortable(({ signal: s }) => ((signal = s), forever<number>()))
        .subscribe()
        .unsubscribe();
      expect(isCancelledError(signal!.reason)).toBe(true);
    });

    it('should not abort a source that finished in time', () => {
      const scheduler = new VirtualTimeScheduler();
      let signal: AbortSignal | undefined;
      fromAbortable(({ signal: s }) => ((signal = s), 'done'))
        .pipe(timeoutWithAbort({ seconds: 1, scheduler }))
        .subscribe();
      scheduler.flush();
      expect(signal!.aborted).toBe(false);
    });
  });

  it('should reject a bad number of seconds with a RangeError naming the option', () => {
    const make = (seconds: unknown) => () => timeoutWithAbort({ seconds: seconds as number });
    expect(make(-1)).toThrow(RangeError);
    expect(make(-1)).toThrowErrorMatchingInlineSnapshot(
      `"timeoutWithAbort: expected seconds to be a non-negative finite number, got -1"`,
    );
    expect(make(NaN)).toThrowErrorMatchingInlineSnapshot(
      `"timeoutWithAbort: expected seconds to be a non-negative finite number, got NaN"`,
    );
    expect(make(Infinity)).toThrowErrorMatchingInlineSnapshot(
      `"timeoutWithAbort: expected seconds to be a non-negative finite number, got Infinity"`,
    );
    expect(make('5')).toThrowErrorMatchingInlineSnapshot(
      `"timeoutWithAbort: expected seconds to be a non-negative finite number, got 5"`,
    );
  });
});
