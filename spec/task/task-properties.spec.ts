import fc from 'fast-check';
import { getRunContext, task, type State } from '../../lib/index.node';
import { collect, expectValidSequence, flaky, names, sleep, withVirtualTime } from '../engine/support';

const NUM_RUNS = 40;

/** The delay in seconds before retry k (1-based), as API.md defines it for a list. */
const delayFor = (delays: number | readonly number[], k: number): number =>
  typeof delays === 'number' ? delays : delays.length === 0 ? 0 : delays[Math.min(k - 1, delays.length - 1)]!;

/** The states API.md prescribes for `failures` failing attempts under `retries` with `delays`. */
function expectedNames(failures: number, retries: number, delays: number | readonly number[]): string[] {
  const out = ['Pending', 'Running'];
  const retried = Math.min(failures, retries);
  for (let k = 1; k <= retried; k++) {
    if (delayFor(delays, k) > 0) out.push('AwaitingRetry');
    out.push('Retrying');
  }
  out.push(failures > retries ? 'Failed' : 'Completed');
  return out;
}

const delaysArb = fc.oneof(
  fc.integer({ min: 0, max: 3600 }),
  fc.array(fc.integer({ min: 0, max: 3600 }), { maxLength: 4 }),
);

describe('task', () => {
  describe('retry rules (properties)', () => {
    it('should make min(failures, retries) + 1 attempts, spaced exactly by the configured delays', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 5 }),
          fc.integer({ min: 0, max: 7 }),
          delaysArb,
          async (retries, failures, delays) => {
            const body = flaky(failures, () => 'ok');
            const t = task({ retries, retryDelaySeconds: delays }, body);
            const states = await withVirtualTime(() => collect(t.run$()));

            const attempts = Math.min(failures, retries) + 1;
            expect(body.calls).toBe(attempts);
            expect(body.gaps).toEqual(
              Array.from({ length: attempts - 1 }, (_, i) => delayFor(delays, i + 1) * 1000),
            );
            expect(names(states)).toEqual(expectedNames(failures, retries, delays));
            expectValidSequence(states);
            checkRetryTimes(states);
          },
        ),
        { numRuns: NUM_RUNS },
      );
    });

    it('should keep jittered delays within delay × (1 ± factor), clamped at 0, and repeat them for a seed', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 4 }),
          fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 4 }),
          fc.double({ min: 0, max: 3, noNaN: true }),
          fc.integer(),
          async (retries, delays, factor, seed) => {
            const run = async () => {
              const body = flaky(retries, () => 'ok');
              const t = task({ retries, retryDelaySeconds: delays, retryJitterFactor: factor }, body);
              const states = await withVirtualTime(() => collect(t.run$()), { seed });
              return { gaps: body.gaps, states };
            };
            const first = await run();
            first.gaps.forEach((gap, i) => {
              const delay = delayFor(delays, i + 1) * 1000;
              expect(gap).toBeGreaterThanOrEqual(Math.max(0, delay * (1 - factor)) - 1e-6);
              expect(gap).toBeLessThanOrEqual(delay * (1 + factor) + 1e-6);
            });
            // AwaitingRetry appears exactly for the retries whose jittered delay is above 0.
            expect(names(first.states).filter((n) => n === 'AwaitingRetry')).toHaveLength(
              first.gaps.filter((g) => g > 0).length,
            );
            expectValidSequence(first.states);
            checkRetryTimes(first.states);

            const second = await run();
            expect(second.gaps).toEqual(first.gaps);
            expect(second.states.map((s) => [s.name, s.timestamp.getTime()])).toEqual(
              first.states.map((s) => [s.name, s.timestamp.getTime()]),
            );
          },
        ),
        { numRuns: NUM_RUNS },
      );
    });

    it('should stop retrying at the first attempt whose retryConditionFn says no', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 5 }),
          fc.integer({ min: 0, max: 7 }),
          fc.integer({ min: 1, max: 7 }),
          fc.boolean(),
          async (retries, failures, stopAt, asyncCondition) => {
            const asked: number[] = [];
            const body = flaky(failures, () => 'ok');
            const t = task(
              {
                retries,
                retryConditionFn: (_t, run) => {
                  asked.push(run.runCount);
                  const verdict = run.runCount < stopAt;
                  return asyncCondition ? Promise.resolve(verdict) : verdict;
                },
              },
              body,
            );
            const states = await collect(t.run$());
            const attempts = Math.min(failures + 1, retries + 1, stopAt);
            expect(body.calls).toBe(attempts);
            expect(asked).toEqual(
              Array.from({ length: Math.min(failures, retries, stopAt) }, (_, i) => i + 1),
            );
            expect(states.at(-1)!.name).toBe(attempts > failures ? 'Completed' : 'Failed');
            expectValidSequence(states);
          },
        ),
        { numRuns: NUM_RUNS },
      );
    });

    it('should follow the transition table for any mix of successes, failures and timeouts', async () => {
      type Outcome = 'ok' | 'throw' | 'timeout';
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom<Outcome>('ok', 'throw', 'timeout'), { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 0, max: 5 }),
          fc.integer({ min: 0, max: 3 }),
          async (script, retries, delay) => {
            let attempt = 0;
            const t = task({ retries, retryDelaySeconds: delay, timeoutSeconds: 10 }, async () => {
              const outcome = script[Math.min(attempt++, script.length - 1)]!;
              if (outcome === 'throw') throw new Error('scripted');
              if (outcome === 'timeout') await sleep(60_000, getRunContext().signal);
              return attempt;
            });
            const states = await withVirtualTime(() => collect(t.run$()));
            expectValidSequence(states);

            const outcomes = Array.from(
              { length: attempt },
              (_, i) => script[Math.min(i, script.length - 1)]!,
            );
            const firstOk = outcomes.indexOf('ok');
            expect(attempt).toBe(firstOk >= 0 ? firstOk + 1 : retries + 1);
            const last = states.at(-1)!;
            const lastOutcome = outcomes.at(-1)!;
            expect(last.name).toBe({ ok: 'Completed', throw: 'Failed', timeout: 'TimedOut' }[lastOutcome]);
            expect(names(states).filter((n) => n === 'Retrying')).toHaveLength(attempt - 1);
            expect(names(states).filter((n) => n === 'AwaitingRetry')).toHaveLength(
              delay > 0 ? attempt - 1 : 0,
            );
          },
        ),
        { numRuns: NUM_RUNS },
      );
    });
  });
});

/** Each AwaitingRetry is scheduled at its timestamp plus a delay, and the next Retrying happens then. */
function checkRetryTimes(states: readonly State[]): void {
  states.forEach((state, i) => {
    if (state.name !== 'AwaitingRetry') return;
    const scheduled = state.details?.scheduledTime?.getTime();
    expect(scheduled).toBeGreaterThan(state.timestamp.getTime());
    expect(states[i + 1]!.name).toBe('Retrying');
    expect(states[i + 1]!.timestamp.getTime()).toBe(scheduled);
  });
}
