import fc from 'fast-check';
import { defer, map, mergeMap, Observable, throwError, timer, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { isTimeoutError, TimeoutError } from '../../lib/errors/timeout-error.js';
import { setErrorReporter } from '../../lib/internal/report.js';
import { fromAbortable } from '../../lib/operators/from-abortable.js';
import { describeError, toStates, type ToStatesConfig } from '../../lib/operators/to-states.js';
import { delayForRetry, exponentialBackoff } from '../../lib/policies/backoff.js';
import { isFinal } from '../../lib/state/predicates.js';
import { StateSchema, type State, type StateName } from '../../lib/state/schema.js';
import { canTransition } from '../../lib/state/transitions.js';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** One letter per state name, for marbles of `map((s) => s.name)`. */
const N = {
  r: 'Running',
  a: 'AwaitingRetry',
  y: 'Retrying',
  c: 'Completed',
  f: 'Failed',
  t: 'TimedOut',
} as const satisfies Record<string, StateName>;

const names = map((state: State) => state.name);

/** Subscribes to each given attempt in turn, one per subscription. */
function attempts<T>(...sources: ReadonlyArray<Observable<T>>): Observable<T> {
  let i = 0;
  return defer(() => sources[Math.min(i++, sources.length - 1)]!);
}

/** Collects every state and whether the stream completed or errored. */
function collect<T>(states$: Observable<State<T>>) {
  const result = { states: [] as Array<State<T>>, completed: false, errored: false as unknown };
  states$.subscribe({
    next: (s) => result.states.push(s),
    error: (e) => (result.errored = e ?? true),
    complete: () => (result.completed = true),
  });
  return result;
}

describe('toStates', () => {
  describe('marbles', () => {
    it('should emit Running at subscription, then Completed with the last value, then complete', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('--a--b--|');
        expectObservable(source.pipe(toStates(), names)).toBe('r-------(c|)', N);
        expectSubscriptions(source.subscriptions).toBe('^-------!');
      });
    });

    it('should turn an error into a final Failed state, not an error', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        const source = cold('--#', undefined, new Error('boom'));
        expectObservable(source.pipe(toStates(), names)).toBe('r-(f|)', N);
      });
    });

    it('should end TimedOut and unsubscribe the attempt at the timeout', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a 50ms |');
        expectObservable(source.pipe(toStates({ timeoutSeconds: 0.01 }), names)).toBe('r 9ms (t|)', N);
        expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
      });
    });

    it('should emit AwaitingRetry and Retrying for each retry after a delay', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('--#');
        const states = source.pipe(toStates({ retries: 2, retryDelaySeconds: 0.01 }), names);
        expectObservable(states).toBe('r-a 9ms y-a 9ms y-(f|)', N);
        expectSubscriptions(source.subscriptions).toBe(['^-!', '12ms ^-!', '24ms ^-!']);
      });
    });

    it('should skip AwaitingRetry for a zero delay', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('--#');
        expectObservable(source.pipe(toStates({ retries: 2 }), names)).toBe('r-y-y-(f|)', N);
        expectSubscriptions(source.subscriptions).toBe(['^-!', '--^-!', '----^-!']);
      });
    });

    it('should complete after a retried attempt succeeds', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold('--#');
        const second = cold('--a|');
        const states = attempts(first, second).pipe(
          toStates({ retries: 3, retryDelaySeconds: [0.01] }),
          names,
        );
        expectObservable(states).toBe('r-a 9ms y--(c|)', N);
        expectSubscriptions(first.subscriptions).toBe('^-!');
        expectSubscriptions(second.subscriptions).toBe('12ms ^--!');
      });
    });

    it('should give each attempt its own timeout', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a 50ms |');
        const states = source.pipe(toStates({ retries: 1, timeoutSeconds: 0.01 }), names);
        expectObservable(states).toBe('r 9ms y 9ms (t|)', N);
        expectSubscriptions(source.subscriptions).toBe(['^ 9ms !', '10ms ^ 9ms !']);
      });
    });

    it('should stop emitting and unsubscribe the source when unsubscribed mid-run', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-----|');
        expectObservable(source.pipe(toStates(), names), '^--!').toBe('r--', N);
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });

    it('should not start another attempt when unsubscribed while awaiting a retry', () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('--#');
        const states = source.pipe(toStates({ retries: 2, retryDelaySeconds: 0.01 }), names);
        expectObservable(states, '^----!').toBe('r-a--', N);
        expectSubscriptions(source.subscriptions).toBe('^-!');
      });
    });
  });

  describe('states', () => {
    it('should stamp states with the scheduler time and carry data, details and messages', () => {
      const scheduler = new VirtualTimeScheduler();
      const source = attempts(
        timer(20, scheduler).pipe(mergeMap(() => throwError(() => new Error('flaky')))),
        timer(30, scheduler).pipe(map(() => 'result')),
      );
      const result = collect(source.pipe(toStates({ scheduler, retries: 1, retryDelaySeconds: 1 })));
      const { states } = result;
      scheduler.flush();
      expect(result.completed).toBe(true);
      expect(states).toEqual([
        { type: 'RUNNING', name: 'Running', timestamp: new Date(0) },
        {
          type: 'SCHEDULED',
          name: 'AwaitingRetry',
          timestamp: new Date(20),
          message: 'Retry 1/1 will start 1s from now, after: Error: flaky',
          details: { scheduledTime: new Date(1020) },
        },
        { type: 'RUNNING', name: 'Retrying', timestamp: new Date(1020), details: { runCount: 2 } },
        { type: 'COMPLETED', name: 'Completed', timestamp: new Date(1050), data: 'result' },
      ]);
      for (const state of states) {
        expect(Object.isFrozen(state)).toBe(true);
        expect(StateSchema.parse(state)).toEqual(state);
      }
    });

    it('should leave out data when the source completed without a value', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        const completed = { type: 'COMPLETED', name: 'Completed', timestamp: new Date(2) };
        expectObservable(cold('--|').pipe(toStates())).toBe('r-(c|)', {
          r: { type: 'RUNNING', name: 'Running', timestamp: new Date(0) },
          c: completed,
        });
      });
    });

    it("should not report a failed attempt's value as the result", () => {
      const scheduler = new VirtualTimeScheduler();
      const source = attempts(
        new Observable<string>((s) => {
          s.next('partial');
          s.error(new Error('then failed'));
        }),
        new Observable<string>((s) => s.complete()),
      );
      const { states } = collect(source.pipe(toStates({ scheduler, retries: 1 })));
      scheduler.flush();
      const final = states[states.length - 1]!;
      expect(final.name).toBe('Completed');
      expect('data' in final).toBe(false);
    });

    it('should describe a failure in the Failed state', () => {
      const error = new TypeError('bad input');
      const { states } = collect(
        throwError(() => error).pipe(toStates({ scheduler: new VirtualTimeScheduler() })),
      );
      expect(states[1]).toEqual({
        type: 'FAILED',
        name: 'Failed',
        timestamp: new Date(0),
        error,
        message: 'TypeError: bad input',
      });
      expect(states[1]!.error).toBe(error);
    });

    it('should carry the TimeoutError and say what timed out', () => {
      const scheduler = new VirtualTimeScheduler();
      const never = new Observable<never>(() => {});
      const { states } = collect(
        never.pipe(toStates({ scheduler, timeoutSeconds: 2, what: "Task run 'load-1'" })),
      );
      scheduler.flush();
      const timedOut = states[1]!;
      expect(timedOut.name).toBe('TimedOut');
      expect(timedOut.timestamp).toEqual(new Date(2000));
      expect(isTimeoutError(timedOut.error)).toBe(true);
      expect(timedOut.message).toMatchInlineSnapshot(`"Task run 'load-1' exceeded its timeout of 2s"`);
      expect((timedOut.error as TimeoutError).message).toMatchInlineSnapshot(
        `"Task run 'load-1' timed out after 2 seconds"`,
      );
    });

    it('should abort each timed-out attempt with its TimeoutError', () => {
      const scheduler = new VirtualTimeScheduler();
      const signals: AbortSignal[] = [];
      const source = fromAbortable(({ signal }) => {
        signals.push(signal);
        return new Promise<never>(() => {});
      });
      const { states } = collect(source.pipe(toStates({ scheduler, retries: 2, timeoutSeconds: 1 })));
      scheduler.flush();
      expect(states.map((s) => s.name)).toEqual(['Running', 'Retrying', 'Retrying', 'TimedOut']);
      expect(signals).toHaveLength(3);
      expect(signals.every((s) => isTimeoutError(s.reason))).toBe(true);
      expect(states[3]!.error).toBe(signals[2]!.reason);
    });
  });

  describe('shouldRetry', () => {
    it('should be asked with the failed state and the attempt number', () => {
      const scheduler = new VirtualTimeScheduler();
      const error = new Error('nope');
      const asked: Array<[State<never>, number]> = [];
      const source = throwError(() => error);
      const { states } = collect(
        source.pipe(
          toStates({
            scheduler,
            retries: 5,
            shouldRetry: (failed, attempt) => {
              asked.push([failed, attempt]);
              return attempt < 2;
            },
          }),
        ),
      );
      scheduler.flush();
      expect(states.map((s) => s.name)).toEqual(['Running', 'Retrying', 'Failed']);
      expect(asked.map(([, attempt]) => attempt)).toEqual([1, 2]);
      expect(asked[0]![0]).toMatchObject({ type: 'FAILED', name: 'Failed', error, message: 'Error: nope' });
    });

    it('should see TimedOut states for timeouts', () => {
      const scheduler = new VirtualTimeScheduler();
      const seen: StateName[] = [];
      const never = new Observable<never>(() => {});
      collect(
        never.pipe(
          toStates({
            scheduler,
            retries: 1,
            timeoutSeconds: 1,
            shouldRetry: (failed) => {
              seen.push(failed.name);
              return false;
            },
          }),
        ),
      );
      scheduler.flush();
      expect(seen).toEqual(['TimedOut']);
    });

    it('should end Failed, not error, when shouldRetry throws, and report the throw', () => {
      const reported: string[] = [];
      const restore = setErrorReporter((message) => reported.push(message));
      const result = collect(
        throwError(() => new Error('x')).pipe(
          toStates({
            retries: 3,
            shouldRetry: () => {
              throw new Error('predicate broke');
            },
          }),
        ),
      );
      restore();
      expect(result.states.map((s) => s.name)).toEqual(['Running', 'Failed']);
      expect(result.completed).toBe(true);
      expect(result.errored).toBe(false);
      expect(reported).toEqual(['Run: the retry condition failed, so the failure is not retried']);
    });
  });

  describe('describeError', () => {
    it('should describe any thrown value in one line', () => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      expect(
        [
          new RangeError('too big'),
          'plain text',
          { code: 42 },
          [1, 2],
          undefined,
          null,
          10n,
          Symbol('s'),
          circular,
        ].map(describeError),
      ).toMatchInlineSnapshot(`
[
  "RangeError: too big",
  "plain text",
  "Non-Error thrown: {"code":42}",
  "Non-Error thrown: [1,2]",
  "Non-Error thrown: undefined",
  "Non-Error thrown: null",
  "Non-Error thrown: 10",
  "Non-Error thrown: Symbol(s)",
  "Non-Error thrown: [object Object]",
]
`);
    });

    it('should never error, whatever the source throws', () => {
      for (const thrown of [undefined, null, 'text', 0, { a: 1 }, 10n]) {
        const result = collect(throwError(() => thrown).pipe(toStates()));
        expect(result.states.map((s) => s.name)).toEqual(['Running', 'Failed']);
        expect(result.states[1]!.error).toBe(thrown);
        expect(result.completed).toBe(true);
        expect(result.errored).toBe(false);
      }
    });
  });

  describe('validation', () => {
    const make = (config: Partial<Record<keyof ToStatesConfig, unknown>>) => () =>
      toStates(config as ToStatesConfig);

    it('should reject bad options when called, with a RangeError naming the option', () => {
      expect(make({ retries: -1 })).toThrow(RangeError);
      expect(make({ retries: -1 })).toThrowErrorMatchingInlineSnapshot(
        `"toStates: expected retries to be a non-negative finite number, got -1"`,
      );
      expect(make({ retries: 1.5 })).toThrowErrorMatchingInlineSnapshot(
        `"toStates: expected retries to be a non-negative integer, got 1.5"`,
      );
      expect(make({ retries: NaN })).toThrowErrorMatchingInlineSnapshot(
        `"toStates: expected retries to be a non-negative finite number, got NaN"`,
      );
      expect(make({ timeoutSeconds: -1 })).toThrowErrorMatchingInlineSnapshot(
        `"toStates: expected timeoutSeconds to be a non-negative finite number, got -1"`,
      );
      expect(make({ retryDelaySeconds: [1, -1] })).toThrowErrorMatchingInlineSnapshot(
        `"toStates: expected retryDelaySeconds[1] to be a non-negative finite number, got -1"`,
      );
      expect(make({ retryJitterFactor: -0.5 })).toThrowErrorMatchingInlineSnapshot(
        `"toStates: expected retryJitterFactor to be a non-negative finite number, got -0.5"`,
      );
    });

    it('should accept the defaults: no retry, no timeout, the last value as result', () => {
      for (const operator of [toStates(), make({})() as ReturnType<typeof toStates>]) {
        let subscriptions = 0;
        const failing = defer(() => {
          subscriptions++;
          return throwError(() => new Error('once'));
        });
        const failed = collect(failing.pipe(operator));
        expect(
          failed.states.map((s) => [s.name, s.error instanceof Error ? s.error.message : s.error]),
        ).toEqual([
          ['Running', undefined],
          ['Failed', 'once'],
        ]);
        expect([subscriptions, failed.completed, failed.errored]).toEqual([1, true, false]);
        const done = collect(
          new Observable<number>((o) => (o.next(1), o.next(2), o.complete())).pipe(operator),
        );
        expect(done.states.map((s) => [s.name, s.data])).toEqual([
          ['Running', undefined],
          ['Completed', 2],
        ]);
      }
    });
  });

  describe('properties', () => {
    interface Outcome {
      readonly kind: 'fail' | 'value' | 'empty';
      /** How long the attempt runs, in ms; never equal to a timeout, so no frame races. */
      readonly duration: number;
    }
    const outcome = fc.record({
      kind: fc.constantFrom('fail', 'value', 'empty') as fc.Arbitrary<Outcome['kind']>,
      duration: fc.integer({ min: 0, max: 9 }).map((n) => n * 10 + 5),
    });
    const quarterSeconds = fc.integer({ min: 0, max: 8 }).map((n) => n / 4);
    const delayConfig: fc.Arbitrary<number | readonly number[]> = fc.oneof(
      quarterSeconds,
      fc.array(quarterSeconds, { maxLength: 4 }),
      fc.integer({ min: 0, max: 4 }).map((n) => exponentialBackoff(n / 4)(3)),
    );

    /** What toStates should emit, by name and time, worked out by hand from the scenario. */
    function model(
      outcomes: readonly Outcome[],
      retries: number,
      delaySeconds: number | readonly number[],
      timeoutMs: number,
      refuseAt: number,
    ) {
      const expected: Array<[StateName, number]> = [['Running', 0]];
      let start = 0;
      for (let i = 0; ; i++) {
        const o = outcomes[Math.min(i, outcomes.length - 1)]!;
        const timedOut = timeoutMs > 0 && o.duration > timeoutMs;
        const end = start + (timedOut ? timeoutMs : o.duration);
        if (!timedOut && o.kind !== 'fail') {
          expected.push(['Completed', end]);
          return expected;
        }
        if (i >= retries || i + 1 >= refuseAt) {
          expected.push([timedOut ? 'TimedOut' : 'Failed', end]);
          return expected;
        }
        const delay = delayForRetry(delaySeconds, i + 1) * 1000;
        if (delay > 0) expected.push(['AwaitingRetry', end]);
        start = end + delay;
        expected.push(['Retrying', start]);
      }
    }

    it('should emit a legal state sequence ending in exactly one final state, then complete', () => {
      fc.assert(
        fc.property(
          fc.array(outcome, { minLength: 1, maxLength: 8 }),
          fc.integer({ min: 0, max: 6 }),
          delayConfig,
          fc.constantFrom(0, 20, 50),
          fc.integer({ min: 1, max: 9 }),
          (outcomes, retries, retryDelaySeconds, timeoutMs, refuseAt) => {
            const scheduler = new VirtualTimeScheduler();
            let i = 0;
            const source = defer(() => {
              const o = outcomes[Math.min(i++, outcomes.length - 1)]!;
              return timer(o.duration, scheduler).pipe(
                mergeMap((): Observable<string> => {
                  if (o.kind === 'fail') return throwError(() => new Error(`attempt ${i}`));
                  return o.kind === 'value'
                    ? timer(0, scheduler).pipe(map(() => `value ${i}`))
                    : new Observable((s) => s.complete());
                }),
              );
            });
            const result = collect(
              source.pipe(
                toStates({
                  scheduler,
                  retries,
                  retryDelaySeconds,
                  timeoutSeconds: timeoutMs / 1000,
                  shouldRetry: (_failed, attempt) => attempt < refuseAt,
                }),
              ),
            );
            scheduler.flush();

            const { states } = result;
            expect(result.completed).toBe(true);
            expect(result.errored).toBe(false);
            // The engine emits Pending before toStates' Running.
            const sequence: StateName[] = ['Pending', ...states.map((s) => s.name)];
            sequence
              .slice(1)
              .forEach((to, k) =>
                expect([sequence[k], to, canTransition(sequence[k]!, to)]).toEqual([sequence[k], to, true]),
              );
            expect(states.filter(isFinal)).toHaveLength(1);
            expect(isFinal(states[states.length - 1]!)).toBe(true);
            for (const state of states) StateSchema.parse(state);

            expect(states.map((s): [StateName, number] => [s.name, s.timestamp.getTime()])).toEqual(
              model(outcomes, retries, retryDelaySeconds, timeoutMs, refuseAt),
            );
            states.forEach((state, k) => {
              if (state.name === 'AwaitingRetry')
                expect(state.details?.scheduledTime).toEqual(states[k + 1]!.timestamp);
            });
            const retrying = states.filter((s) => s.name === 'Retrying');
            expect(retrying.map((s) => s.details?.runCount)).toEqual(retrying.map((_, k) => k + 2));
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
