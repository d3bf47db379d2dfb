import { concat, lastValueFrom, NEVER, of, Subject, take, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { CancelledError, isCancelledError } from '../../lib/errors/cancelled-error.js';
import { fromAbortable, type AbortScope } from '../../lib/operators/from-abortable.js';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Counts AbortControllers made while installed, to prove the signal is created lazily. */
let controllersMade = 0;
const RealAbortController = globalThis.AbortController;
class CountingAbortController extends RealAbortController {
  constructor() {
    super();
    controllersMade++;
  }
}

beforeEach(() => {
  controllersMade = 0;
  globalThis.AbortController = CountingAbortController;
});

afterEach(() => {
  globalThis.AbortController = RealAbortController;
});

/** A promise that never settles: work that only ends by being aborted. */
const forever = <T>() => new Promise<T>(() => {});

describe('fromAbortable', () => {
  it('should be cold: call the factory once per subscription and not before', () => {
    const factory = jest.fn((_scope: AbortScope) => 'a');
    const value$ = fromAbortable(factory);
    expect(factory).not.toHaveBeenCalled();
    value$.subscribe();
    value$.subscribe();
    expect(factory).toHaveBeenCalledTimes(2);
    expect(factory.mock.calls[0]![0]).not.toBe(factory.mock.calls[1]![0]);
  });

  it('should emit a plain value and complete synchronously', () => {
    testScheduler().run(({ expectObservable }) => {
      expectObservable(fromAbortable(() => 'a')).toBe('(a|)');
      expectObservable(fromAbortable(() => undefined)).toBe('(u|)', { u: undefined });
      expectObservable(fromAbortable(() => null)).toBe('(n|)', { n: null });
    });
  });

  it('should pass an Observable through, values, completion and subscription', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inner = cold('-a-b-|');
      expectObservable(fromAbortable(() => inner)).toBe('-a-b-|');
      expectSubscriptions(inner.subscriptions).toBe('^----!');
    });
  });

  it("should pass an Observable's error through", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inner = cold('-a-#', undefined, 'bad');
      expectObservable(fromAbortable(() => inner)).toBe('-a-#', undefined, 'bad');
      expectSubscriptions(inner.subscriptions).toBe('^--!');
    });
  });

  it('should unsubscribe an inner Observable when unsubscribed, at that frame', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inner = cold('-a-b-|');
      expectObservable(
        fromAbortable(() => inner),
        '^--!',
      ).toBe('-a-');
      expectSubscriptions(inner.subscriptions).toBe('^--!');
    });
  });

  it('should abort the signal when unsubscribed before the inner Observable finished', () => {
    const scheduler = testScheduler();
    let signal: AbortSignal | undefined;
    let abortedAt: number | undefined;
    scheduler.run(({ cold, expectObservable }) => {
      const inner = cold('-a-b-|');
      const value$ = fromAbortable((scope) => {
        signal = scope.signal;
        signal.addEventListener('abort', () => (abortedAt = scheduler.now()));
        return inner;
      });
      expectObservable(value$, '^--!').toBe('-a-');
    });
    expect(abortedAt).toBe(3);
    expect(isCancelledError(signal!.reason)).toBe(true);
  });

  it('should resolve a promise to one value and completion', async () => {
    await expect(lastValueFrom(fromAbortable(() => Promise.resolve(42)).pipe(toArray()))).resolves.toEqual([
      42,
    ]);
  });

  it('should turn a rejection into an error, even a non-Error one', async () => {
    const error = new Error('boom');
    await expect(lastValueFrom(fromAbortable(() => Promise.reject(error)))).rejects.toBe(error);
    await expect(lastValueFrom(fromAbortable(() => Promise.reject('nope')))).rejects.toBe('nope');
    const reason = { code: 7 };
    await expect(lastValueFrom(fromAbortable(() => Promise.reject(reason)))).rejects.toBe(reason);
  });

  it('should accept a foreign thenable', () => {
    const values: number[] = [];
    let completed = false;
    const thenable: PromiseLike<number> = {
      then: (resolve) => {
        resolve?.(5);
        return thenable as never;
      },
    };
    fromAbortable(() => thenable).subscribe({
      next: (v) => values.push(v),
      complete: () => (completed = true),
    });
    expect(values).toEqual([5]);
    expect(completed).toBe(true);
  });

  it('should turn whatever the factory throws into the error', () => {
    testScheduler().run(({ expectObservable }) => {
      const error = new TypeError('bad input');
      const throwing = (value: unknown): Observable<never> =>
        fromAbortable<never>(() => {
          throw value;
        });
      expectObservable(throwing(error)).toBe('#', undefined, error);
      expectObservable(throwing('text')).toBe('#', undefined, 'text');
      expectObservable(throwing({ code: 1 })).toBe('#', undefined, { code: 1 });
    });
    // Marbles cannot express an undefined error (they substitute 'error').
    const error = jest.fn();
    fromAbortable(() => {
      throw undefined;
    }).subscribe({ error });
    expect(error.mock.calls).toEqual([[undefined]]);
  });

  it('should not create an AbortController when the factory never reads signal', () => {
    let scope: AbortScope | undefined;
    const subscription = fromAbortable((s) => {
      scope = s;
      return forever<number>();
    }).subscribe();
    subscription.unsubscribe();
    expect(scope!.aborted).toBe(true);
    expect(controllersMade).toBe(0);
  });

  it('should create exactly one AbortController when the factory reads signal', () => {
    const subscription = fromAbortable(({ signal }) => {
      expect(signal.aborted).toBe(false);
      return forever<number>();
    }).subscribe();
    subscription.unsubscribe();
    expect(controllersMade).toBe(1);
  });

  it('should abort the signal with a CancelledError when unsubscribed while a promise is pending', () => {
    let signal: AbortSignal | undefined;
    const subscription = fromAbortable((scope) => {
      signal = scope.signal;
      return forever<number>();
    }).subscribe();
    expect(signal!.aborted).toBe(false);
    subscription.unsubscribe();
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toBeInstanceOf(CancelledError);
    expect((signal!.reason as Error).message).toMatchInlineSnapshot(
      `"Aborted: the subscriber unsubscribed before the work finished"`,
    );
  });

  it('should hand out an already aborted signal when it is first read after the abort', async () => {
    let scope: AbortScope | undefined;
    const subscription = fromAbortable((s) => {
      scope = s;
      return forever<number>();
    }).subscribe();
    subscription.unsubscribe();
    await Promise.resolve();
    expect(scope!.signal.aborted).toBe(true);
    expect(isCancelledError(scope!.signal.reason)).toBe(true);
  });

  it('should not abort the signal after the work finished', async () => {
    const signals: AbortSignal[] = [];
    const keep = (scope: AbortScope) => void signals.push(scope.signal);

    fromAbortable((scope) => (keep(scope), 'value')).subscribe();
    await lastValueFrom(fromAbortable((scope) => (keep(scope), Promise.resolve(1))));
    await expect(
      lastValueFrom(fromAbortable((scope) => (keep(scope), Promise.reject(new Error('x'))))),
    ).rejects.toThrow('x');
    const completing = new Subject<number>();
    fromAbortable((scope) => (keep(scope), completing)).subscribe();
    completing.next(1);
    completing.complete();
    const erroring = new Subject<number>();
    fromAbortable((scope) => (keep(scope), erroring)).subscribe({ error: () => {} });
    erroring.error(new Error('y'));

    expect(signals).toHaveLength(5);
    expect(signals.map((s) => s.aborted)).toEqual([false, false, false, false, false]);
  });

  it('should abort when a downstream take unsubscribes during a synchronous emission', () => {
    let signal: AbortSignal | undefined;
    const values: number[] = [];
    fromAbortable((scope) => {
      signal = scope.signal;
      return concat(of(1, 2), NEVER);
    })
      .pipe(take(1))
      .subscribe((v) => values.push(v));
    expect(values).toEqual([1]);
    expect(signal!.aborted).toBe(true);
  });

  it('should ignore a promise that settles after unsubscription', async () => {
    let resolve: (value: number) => void = () => {};
    const next = jest.fn();
    const complete = jest.fn();
    const subscription = fromAbortable(() => new Promise<number>((r) => (resolve = r))).subscribe({
      next,
      complete,
    });
    subscription.unsubscribe();
    resolve(1);
    await Promise.resolve();
    expect(next).not.toHaveBeenCalled();
    expect(complete).not.toHaveBeenCalled();
  });
});
