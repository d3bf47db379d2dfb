import fc from 'fast-check';
import { lastValueFrom, of, throwError, toArray, VirtualTimeScheduler } from 'rxjs';
import { isOptionValidationError, task } from '../../lib/index.node';
import {
  cacheResult,
  concurrencyLimit,
  exponentialBackoff,
  rateLimit,
  retryWithBackoff,
  timeoutWithAbort,
  toStates,
  type RetryWithBackoffConfig,
  type ToStatesConfig,
} from '../../lib/operators/index';
import { withVirtualTime } from '../../lib/testing/index.node';

type DelayForm = number | number[] | ((retries: number) => number[]);

/** When each attempt of an always-failing task run starts, in ms from the first. */
async function taskAttempts(retries: number, retryDelaySeconds: DelayForm): Promise<number[]> {
  return withVirtualTime(async () => {
    const failing = task({ name: 'failing', retries, retryDelaySeconds }, () => {
      throw new Error('no');
    });
    const states = await lastValueFrom(failing.run$().pipe(toArray()));
    const starts = states.filter((s) => s.name === 'Running' || s.name === 'Retrying');
    return starts.map((s) => s.timestamp.getTime() - starts[0]!.timestamp.getTime());
  });
}

/** The same for `toStates` over an always-failing source. */
function toStatesAttempts(retries: number, retryDelaySeconds: DelayForm): number[] {
  const scheduler = new VirtualTimeScheduler();
  const starts: number[] = [];
  throwError(() => new Error('no'))
    .pipe(toStates({ retries, retryDelaySeconds, scheduler }))
    .subscribe((s) => {
      if (s.name === 'Running' || s.name === 'Retrying') starts.push(s.timestamp.getTime());
    });
  scheduler.flush();
  return starts.map((t) => t - starts[0]!);
}

/** The same for `retryWithBackoff`: when each subscription to the source happens. */
function retryAttempts(retries: number, delaySeconds: DelayForm): number[] {
  const scheduler = new VirtualTimeScheduler();
  const starts: number[] = [];
  throwError(() => {
    starts.push(scheduler.now());
    return new Error('no');
  })
    .pipe(retryWithBackoff({ retries, delaySeconds, scheduler }))
    .subscribe({ error: () => undefined });
  scheduler.flush();
  return starts.map((t) => t - starts[0]!);
}

const delayForm: fc.Arbitrary<DelayForm> = fc.oneof(
  fc.integer({ min: 0, max: 300 }).map((cs) => cs / 100),
  fc.array(
    fc.integer({ min: 0, max: 300 }).map((cs) => cs / 100),
    { maxLength: 4 },
  ),
  fc.integer({ min: 0, max: 100 }).map((cs) => exponentialBackoff(cs / 100)),
);

describe('operator options', () => {
  describe('delays', () => {
    it('should take exponentialBackoff(0.1) in retryWithBackoff and toStates, as tasks do', () => {
      expect(retryAttempts(3, exponentialBackoff(0.1))).toEqual([0, 100, 300, 700]);
      expect(toStatesAttempts(3, exponentialBackoff(0.1))).toEqual([0, 100, 300, 700]);
    });

    it('should wait a delay to the millisecond it names, without floating-point dust (2.01 s is 2010 ms)', async () => {
      expect(await taskAttempts(1, 2.01)).toEqual([0, 2010]);
      expect(toStatesAttempts(1, 2.01)).toEqual([0, 2010]);
      expect(retryAttempts(1, 2.01)).toEqual([0, 2010]);
    });

    it('should wait as a task does for every delay form', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 4 }), delayForm, async (retries, form) => {
          const expected = await taskAttempts(retries, form);
          expect(toStatesAttempts(retries, form)).toEqual(expected);
          expect(retryAttempts(retries, form)).toEqual(expected);
        }),
        { numRuns: 60 },
      );
    });

    it('should refuse a delay function with bad results as tasks do, naming the option', () => {
      const throwing = () => {
        throw new Error('boom');
      };
      const negative = () => [1, -1];
      const tooMany = () => Array.from({ length: 51 }, () => 1);
      const problems = [throwing, negative, tooMany].map((fn) => {
        const seen: string[] = [];
        for (const make of [
          () => task({ name: 't', retries: 2, retryDelaySeconds: fn }, () => 1),
          () => retryWithBackoff({ retries: 2, delaySeconds: fn }),
          () => toStates({ retries: 2, retryDelaySeconds: fn }),
        ]) {
          try {
            make();
            seen.push('accepted');
          } catch (error) {
            seen.push((error as Error).message);
          }
        }
        return seen;
      });
      // Too many delays: refused by all three alike.
      expect(problems.pop()!.map((m) => m.replace(/^.*?: (invalid (option '?)?\w+'?: )/, ''))).toEqual(
        Array(3).fill(
          `the delay function must return at most 50 non-negative numbers, got [${Array(51).fill(1).join(', ')}]`,
        ),
      );
      expect(problems).toMatchInlineSnapshot(`
        [
          [
            "task 't': invalid option 'retryDelaySeconds': the delay function threw: boom",
            "retryWithBackoff: invalid delaySeconds: the delay function threw: boom",
            "toStates: invalid retryDelaySeconds: the delay function threw: boom",
          ],
          [
            "task 't': invalid option 'retryDelaySeconds': the delay function must return at most 50 non-negative numbers, got [1, -1]",
            "retryWithBackoff: invalid delaySeconds: the delay function must return at most 50 non-negative numbers, got [1, -1]",
            "toStates: invalid retryDelaySeconds: the delay function must return at most 50 non-negative numbers, got [1, -1]",
          ],
        ]
      `);
    });
  });

  describe('unknown keys', () => {
    const cases: [string, () => unknown][] = [
      [
        'retryWithBackoff',
        () => retryWithBackoff({ retries: 1, delaySecond: 1 } as unknown as RetryWithBackoffConfig),
      ],
      ['toStates', () => toStates({ retry: 3 } as unknown as ToStatesConfig)],
      ['timeoutWithAbort', () => timeoutWithAbort({ seconds: 1, secs: 2 } as never)],
      ['concurrencyLimit', () => concurrencyLimit(() => of(1), 2, { ocupy: 1 } as never)],
      ['rateLimit', () => rateLimit({ limit: 1, slotDecayPerSecond: 1 }, { ocupy: 2 } as never)],
      ['rateLimit', () => rateLimit({ limit: 1, slotsDecayPerSecond: 1 } as never)],
      ['cacheResult', () => cacheResult({ key: 'k', expires: 60 } as never)],
    ];

    it.each(cases)('should refuse a misspelt option of %s, naming it', (_, make) => {
      let error: unknown;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(isOptionValidationError(error)).toBe(true);
    });

    it('should say which key is unknown and which are known', () => {
      const messages = cases.map(([, make]) => {
        try {
          make();
          return 'accepted';
        } catch (error) {
          return `${(error as Error).name}: ${(error as Error).message}`;
        }
      });
      expect(messages).toMatchInlineSnapshot(`
       [
         "OptionValidationError: retryWithBackoff: invalid option 'delaySecond': unknown option (the options are retries, delaySeconds, jitterFactor, random, scheduler, shouldRetry, onRetryScheduled, onRetry)",
         "OptionValidationError: toStates: invalid option 'retry': unknown option (the options are scheduler, timeoutSeconds, retries, retryDelaySeconds, retryJitterFactor, random, shouldRetry, what)",
         "OptionValidationError: timeoutWithAbort: invalid option 'secs': unknown option (the options are seconds, scheduler, what)",
         "OptionValidationError: concurrencyLimit: invalid option 'ocupy': unknown option (the options are occupy)",
         "OptionValidationError: rateLimit: invalid option 'ocupy': unknown option (the options are occupy, scheduler)",
         "OptionValidationError: rateLimit: invalid option 'slotsDecayPerSecond': unknown option (the options are limit, slotDecayPerSecond)",
         "OptionValidationError: cacheResult: invalid option 'expires': unknown option (the options are key, storage, serializer, expiration, refresh, scheduler)",
       ]
      `);
    });

    it('should refuse options that are not an object', () => {
      expect(() => toStates(null as never)).toThrow(
        "toStates: invalid option 'options': expected an object, got null",
      );
      expect(() => retryWithBackoff(3 as never)).toThrow(
        "retryWithBackoff: invalid option 'options': expected an object, got 3",
      );
    });

    it('should accept every documented option', () => {
      const scheduler = new VirtualTimeScheduler();
      expect(() =>
        retryWithBackoff({
          retries: 1,
          delaySeconds: 1,
          jitterFactor: 0,
          random: Math.random,
          scheduler,
          shouldRetry: () => true,
          onRetryScheduled: () => undefined,
          onRetry: () => undefined,
        }),
      ).not.toThrow();
      expect(() =>
        toStates({
          retries: 1,
          retryDelaySeconds: 1,
          retryJitterFactor: 0,
          random: Math.random,
          scheduler,
          shouldRetry: () => true,
          timeoutSeconds: 1,
          what: 'Run',
        }),
      ).not.toThrow();
      expect(() => timeoutWithAbort({ seconds: 1, scheduler, what: 'x' })).not.toThrow();
    });
  });
});
