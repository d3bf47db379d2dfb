import fc from 'fast-check';
import {
  defer,
  lastValueFrom,
  Observable,
  of,
  throwError,
  toArray,
  type SchedulerAction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { isTimeoutError } from '../../lib/errors/timeout-error';
import { flow } from '../../lib/flow/flow';
import { configureClock } from '../../lib/internal/clock';
import { fromAbortable } from '../../lib/operators/from-abortable';
import { retryWithBackoff } from '../../lib/operators/retry-with-backoff';
import { timeoutWithAbort } from '../../lib/operators/timeout-with-abort';
import { toStates } from '../../lib/operators/to-states';
import type { State } from '../../lib/state/schema';
import { task } from '../../lib/task/task';
import { VirtualScheduler } from '../../lib/testing/virtual-scheduler';

// Counts large enough to have overflowed the stack when each zero-delay retry recursed
// (a task crashed after ~1,800 synchronous attempts, retryWithBackoff stalled after ~490).
const MANY = 20_000;

/** How deep the stack is where this is called. */
function stackDepth(): number {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  try {
    return new Error().stack!.split('\n').length;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

describe('AttemptLoop: zero-delay retries of synchronous failures', () => {
  const error = new Error('always');

  it('should end a task Failed after retries + 1 synchronous attempts, not Crashed', async () => {
    let calls = 0;
    const doomed = task({ name: 'doomed', retries: MANY }, (): number => {
      calls++;
      throw error;
    });
    const states = await lastValueFrom(doomed.run$().pipe(toArray()));
    expect(calls).toBe(MANY + 1);
    expect(states.at(-1)).toMatchObject({ type: 'FAILED', name: 'Failed', error });
    expect(states.filter((s) => s.name === 'Retrying')).toHaveLength(MANY);
    calls = 0;
    await expect(doomed()).rejects.toBe(error);
    expect(calls).toBe(MANY + 1);
  });

  it('should make retryWithBackoff error after exactly retries + 1 subscriptions of a synchronous error', async () => {
    let subscriptions = 0;
    const source = defer(() => {
      subscriptions++;
      return throwError(() => error);
    });
    await expect(lastValueFrom(source.pipe(retryWithBackoff({ retries: MANY })))).rejects.toBe(error);
    expect(subscriptions).toBe(MANY + 1);
  });

  it('should make retryWithBackoff over a throwing fromAbortable factory error after retries + 1 calls', async () => {
    let calls = 0;
    const source = fromAbortable(() => {
      calls++;
      throw error;
    });
    await expect(lastValueFrom(source.pipe(retryWithBackoff({ retries: MANY })))).rejects.toBe(error);
    expect(calls).toBe(MANY + 1);
  });

  it('should make toStates end Failed, never error, after many synchronous failures', () => {
    let subscriptions = 0;
    const names: string[] = [];
    let errored: unknown = undefined;
    let completed = false;
    new Observable<never>((subscriber) => {
      subscriptions++;
      subscriber.error(error);
    })
      .pipe(toStates({ retries: MANY }))
      .subscribe({
        next: (s) => names.push(s.name),
        error: (e: unknown) => (errored = e),
        complete: () => (completed = true),
      });
    expect(errored).toBeUndefined();
    expect(completed).toBe(true);
    expect(subscriptions).toBe(MANY + 1);
    expect(names).toEqual(['Running', ...Array<string>(MANY).fill('Retrying'), 'Failed']);
  });

  it('should start every synchronous retry at the same stack depth, in order', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 40 }),
        fc.nat({ max: 40 }),
        fc.constantFrom('observable', 'factory'),
        (failures, retries, kind) => {
          const depths: number[] = [];
          const values: string[] = [];
          let outcome: unknown = 'none';
          const attempt = (): string => {
            depths.push(stackDepth());
            if (depths.length <= failures) throw new Error(`failure ${depths.length}`);
            return 'ok';
          };
          const source = kind === 'factory' ? fromAbortable(attempt) : defer(() => of(attempt()));
          source.pipe(retryWithBackoff({ retries })).subscribe({
            next: (v) => values.push(v),
            error: (e: Error) => (outcome = e.message),
            complete: () => (outcome = 'complete'),
          });
          expect(depths).toHaveLength(Math.min(failures, retries) + 1);
          expect(new Set(depths).size).toBe(1);
          if (failures <= retries) {
            expect(outcome).toBe('complete');
            expect(values).toEqual(['ok']);
          } else {
            expect(outcome).toBe(`failure ${retries + 1}`);
            expect(values).toEqual([]);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

/**
 * A virtual clock that synchronous work can move on without any timer getting to run, as
 * CPU-bound code does to the real clock: `block(ms)` is a busy body taking `ms`.
 */
class BusyClock implements SchedulerLike {
  readonly virtual = new VirtualScheduler();
  private busy = 0;

  now(): number {
    return this.virtual.now() + this.busy;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
    return this.virtual.schedule(work, delay, state);
  }

  block(ms: number): void {
    this.busy += ms;
  }

  /** Runs every timer left (the timer queue's disarm check); returns how many were armed. */
  drain(): number {
    const pending = this.virtual.pendingCount;
    this.virtual.advanceBy(0);
    return pending;
  }
}

const namesOf = (states: readonly State<unknown>[]) => states.map((s) => s.name);

describe('AttemptLoop: a synchronous attempt that overruns its timeout', () => {
  it('should end toStates TimedOut when a synchronous factory returns after its deadline', () => {
    const clock = new BusyClock();
    const states: State<string>[] = [];
    let signal: AbortSignal | undefined;
    fromAbortable((scope) => {
      signal = scope.signal;
      clock.block(1500);
      return 'late';
    })
      .pipe(toStates({ scheduler: clock, timeoutSeconds: 1, what: "Task 'busy'" }))
      .subscribe((s) => states.push(s));
    expect(namesOf(states)).toEqual(['Running', 'TimedOut']);
    const final = states[1]!;
    expect(isTimeoutError(final.error)).toBe(true);
    expect(final.message).toBe("Task 'busy' exceeded its timeout of 1s");
    // The attempt's signal aborts with the TimeoutError, as when the timer fires.
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(final.error);
    clock.drain();
    expect(clock.virtual.pendingCount).toBe(0);
  });

  it('should end it TimedOut, not Failed, when a synchronous factory throws after its deadline', () => {
    const clock = new BusyClock();
    const states: State<never>[] = [];
    fromAbortable((): never => {
      clock.block(2000);
      throw new Error('too late to matter');
    })
      .pipe(toStates({ scheduler: clock, timeoutSeconds: 1 }))
      .subscribe((s) => states.push(s));
    expect(namesOf(states)).toEqual(['Running', 'TimedOut']);
  });

  it('should keep an attempt that returns within its deadline (or exactly before it) Completed', () => {
    const clock = new BusyClock();
    const states: State<string>[] = [];
    fromAbortable(() => {
      clock.block(999);
      return 'in time';
    })
      .pipe(toStates({ scheduler: clock, timeoutSeconds: 1 }))
      .subscribe((s) => states.push(s));
    expect(namesOf(states)).toEqual(['Running', 'Completed']);
    expect(states[1]!.data).toBe('in time');
  });

  it('should retry a timed-out synchronous attempt like any other', () => {
    const clock = new BusyClock();
    let attempts = 0;
    const states: State<number>[] = [];
    fromAbortable(() => {
      attempts++;
      if (attempts === 1) clock.block(5000);
      return attempts;
    })
      .pipe(toStates({ scheduler: clock, timeoutSeconds: 1, retries: 1 }))
      .subscribe((s) => states.push(s));
    expect(namesOf(states)).toEqual(['Running', 'Retrying', 'Completed']);
    expect(states[2]!.data).toBe(2);
  });

  it('should end each synchronous attempt by the rule: past its deadline TimedOut, else its own outcome', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.record({ ms: fc.integer({ min: 0, max: 6000 }), throws: fc.boolean() }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.nat({ max: 6 }),
        (timeoutSeconds, script, retries) => {
          const clock = new BusyClock();
          let attempt = 0;
          const states: State<number>[] = [];
          fromAbortable(() => {
            const step = script[Math.min(attempt++, script.length - 1)]!;
            clock.block(step.ms);
            if (step.throws) throw new Error(`attempt ${attempt}`);
            return attempt;
          })
            .pipe(toStates({ scheduler: clock, timeoutSeconds, retries }))
            .subscribe((s) => states.push(s));
          const expected = ['Running'];
          for (let k = 0; ; k++) {
            const step = script[Math.min(k, script.length - 1)]!;
            const outcome =
              step.ms >= timeoutSeconds * 1000 ? 'TimedOut' : step.throws ? 'Failed' : 'Completed';
            if (outcome !== 'Completed' && k < retries) {
              expected.push('Retrying');
              continue;
            }
            expected.push(outcome);
            break;
          }
          expect(namesOf(states)).toEqual(expected);
          clock.drain();
          expect(clock.virtual.pendingCount).toBe(0);
        },
      ),
    );
  });

  it('should make timeoutWithAbort error when a synchronous source completes after its deadline', () => {
    const clock = new BusyClock();
    const seen: unknown[] = [];
    defer(() => {
      clock.block(1500);
      return of(1, 2);
    })
      .pipe(timeoutWithAbort({ seconds: 1, scheduler: clock }))
      .subscribe({ next: (v) => seen.push(v), error: (e: unknown) => seen.push(e) });
    // Values are passed on as they come; the completion, past the deadline, is a timeout.
    expect(seen.slice(0, 2)).toEqual([1, 2]);
    expect(seen).toHaveLength(3);
    expect(isTimeoutError(seen[2])).toBe(true);
  });

  it('should make retryWithBackoff retry a synchronous attempt that overran a loop timeout', () => {
    // toStates and the engine share the loop: here through its Observable-source path.
    const clock = new BusyClock();
    let subscriptions = 0;
    const states: State<string>[] = [];
    defer(() => {
      subscriptions++;
      if (subscriptions === 1) clock.block(1001);
      return of('v');
    })
      .pipe(toStates({ scheduler: clock, timeoutSeconds: 1, retries: 2 }))
      .subscribe((s) => states.push(s));
    expect(subscriptions).toBe(2);
    expect(namesOf(states)).toEqual(['Running', 'Retrying', 'Completed']);
  });

  describe('in the engine', () => {
    let clock: BusyClock;
    let restore: () => void;
    beforeEach(() => {
      clock = new BusyClock();
      restore = configureClock({ scheduler: clock });
    });
    afterEach(() => restore());

    it('should end a synchronous task that overruns timeoutSeconds TimedOut, and reject the call', async () => {
      const busy = task({ name: 'busy', timeoutSeconds: 1 }, () => {
        clock.block(1500);
        return 'late';
      });
      const states = await lastValueFrom(busy.run$().pipe(toArray()));
      expect(namesOf(states)).toEqual(['Pending', 'Running', 'TimedOut']);
      const error = await busy().catch((e: unknown) => e);
      expect(isTimeoutError(error)).toBe(true);
      expect((error as Error).message).toBe("Task 'busy' timed out after 1 second");
    });

    it('should retry a timed-out synchronous task attempt', async () => {
      let attempts = 0;
      const busy = task({ name: 'busy-once', timeoutSeconds: 1, retries: 1 }, () => {
        if (++attempts === 1) clock.block(1500);
        return attempts;
      });
      const states = await lastValueFrom(busy.run$().pipe(toArray()));
      expect(namesOf(states)).toEqual(['Pending', 'Running', 'Retrying', 'Completed']);
      expect(states.at(-1)!.data).toBe(2);
    });

    it('should end a synchronous flow that overruns timeoutSeconds TimedOut', async () => {
      const inner = task({ name: 'inner' }, () => clock.block(1500));
      const busy = flow({ name: 'busy-flow', timeoutSeconds: 1 }, () => {
        inner();
        return 'late';
      });
      const states = await lastValueFrom(busy.run$().pipe(toArray()));
      expect(namesOf(states)).toEqual(['Pending', 'Running', 'TimedOut']);
    });

    it('should leave an async body that resolves after blocking to its timer (Completed before it fires)', async () => {
      // As in Prefect's event loop: no await after the deadline, nothing to deliver the timeout to.
      const busy = task({ name: 'busy-async', timeoutSeconds: 1 }, async () => {
        clock.block(1500);
        return 'done';
      });
      const states = await lastValueFrom(busy.run$().pipe(toArray()));
      expect(namesOf(states)).toEqual(['Pending', 'Running', 'Completed']);
    });
  });
});
