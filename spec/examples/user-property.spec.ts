/**
 * The recipe of docs/testing.md ("Property-testing your own task"), written as a user writes it
 * in jest: the app's task, a fast-check property over failure scripts, policies and seeds, and
 * `expect`. It imports only what a user can: the package entries (`rxflow`, `rxflow/testing`).
 */
import fc from 'fast-check';
import { flow, getRunContext, isTimeoutError, task } from '../../lib/index.node';
import {
  arbFailureScript,
  arbRetryPolicy,
  collectTimeline,
  delayBounds,
  expectedDelays,
  flaky,
  isDeadlockError,
  sleep,
  withVirtualTime,
  type RetryPolicy,
} from '../../lib/testing/index.node';

// The app's code, normally imported from src/: a task built around a rates client.
const ratesPolicy: RetryPolicy = { retries: 3, retryDelaySeconds: [10, 60, 300], retryJitterFactor: 0.2 };
const makeFetchRate = (getRate: (currency: string) => Promise<number>, policy: RetryPolicy = ratesPolicy) =>
  task({ name: 'fetch-rate', taskRunName: 'fetch-rate-{currency}', ...policy }, (currency: string) =>
    getRate(currency),
  );

/** For a policy, a failure script and a seed: fetch-rate retries exactly as configured. */
async function retriesAsConfigured(policy: RetryPolicy, script: unknown[], seed: number): Promise<void> {
  const getRate = flaky(script, async (currency: string) => (currency === 'EUR' ? 1.08 : 1));
  const fetchRate = makeFetchRate(getRate, policy);
  const replay = () => withVirtualTime(() => collectTimeline(fetchRate.run$('EUR')), { seed });
  const timeline = await replay();

  const failures = script.length;
  expect(getRate.calls).toBe(Math.min(failures, policy.retries) + 1);
  expect(timeline.at(-1)?.name).toBe(failures <= policy.retries ? 'Completed' : 'Failed');
  const retried = getRate.calls - 1;
  if (!policy.retryJitterFactor) expect(getRate.gaps).toEqual(expectedDelays(policy, retried));
  delayBounds(policy, retried).forEach(({ min, max }, k) => {
    expect(getRate.gaps[k]).toBeGreaterThanOrEqual(min);
    expect(getRate.gaps[k]).toBeLessThanOrEqual(max);
  });

  const callTimes = getRate.callTimes;
  getRate.reset();
  expect(await replay()).toEqual(timeline); // same seed: the same timeline, jitter included
  expect(getRate.callTimes).toEqual(callTimes);
}

/** A task slower than its timeout ends TimedOut at exactly the timeout, its signal aborted. */
async function timesOutExactly(timeoutSeconds: number, overrunMs: number): Promise<void> {
  let signal: AbortSignal | undefined;
  const render = task({ name: 'render', timeoutSeconds }, async () => {
    signal = getRunContext().signal;
    await sleep(timeoutSeconds * 1000 + overrunMs, signal); // always slower than the timeout
  });
  const timeline = await withVirtualTime(() => collectTimeline(render.run$()));

  expect(timeline.map((e) => `${e.name}@${e.at}`)).toEqual([
    'Pending@0',
    'Running@0',
    `TimedOut@${timeoutSeconds * 1000}`,
  ]);
  expect(signal?.aborted).toBe(true);
  expect(isTimeoutError(signal?.reason)).toBe(true);
}

describe('fetch-rate, property-tested with rxflow/testing', () => {
  it('should retry as its own policy says, for any failure script and jitter seed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constant(ratesPolicy), arbFailureScript(), fc.nat(), retriesAsConfigured),
    );
  });

  it('should retry as any policy says: numbers, lists, backoff, with and without jitter', async () => {
    await fc.assert(fc.asyncProperty(arbRetryPolicy(), arbFailureScript(), fc.nat(), retriesAsConfigured));
  });

  it('should catch a task whose retries drifted from the policy, shrinking to the boundary', async () => {
    const drifted: RetryPolicy = { ...ratesPolicy, retries: 2 };
    const result = await fc.check(
      fc.asyncProperty(arbFailureScript(), fc.nat(), async (script, seed) => {
        const getRate = flaky(script, async () => 1.08);
        await withVirtualTime(() => makeFetchRate(getRate, drifted)('EUR').catch(() => undefined), { seed });
        expect(getRate.calls).toBe(Math.min(script.length, ratesPolicy.retries) + 1);
      }),
    );
    expect(result.failed).toBe(true);
    expect(result.counterexample?.[0]).toHaveLength(3); // 3 failures: the fewest that need a 3rd retry
  });

  it('should wait 10 s, 60 s, 300 s exactly without jitter, in milliseconds of real time', async () => {
    const getRate = flaky(3, async () => 1.08);
    const fetchRate = makeFetchRate(getRate, { ...ratesPolicy, retryJitterFactor: 0 });
    const started = performance.now();
    await expect(withVirtualTime(() => fetchRate('EUR'))).resolves.toBe(1.08);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(getRate.gaps).toEqual([10_000, 60_000, 300_000]);
  });

  it('should jitter differently for different seeds', async () => {
    const gapsFor = async (seed: number) => {
      const getRate = flaky(3, async () => 1.08);
      await withVirtualTime(() => makeFetchRate(getRate)('EUR'), { seed });
      return getRate.gaps;
    };
    expect(await gapsFor(1)).toEqual(await gapsFor(1));
    expect(await gapsFor(1)).not.toEqual(await gapsFor(2));
  });

  it('should time out at exactly timeoutSeconds, aborting the signal', async () => {
    const timeoutSeconds = fc.integer({ min: 1, max: 600 });
    const overrunMs = fc.integer({ min: 1, max: 3_600_000 });
    await fc.assert(fc.asyncProperty(timeoutSeconds, overrunMs, timesOutExactly));
  });

  it('should fail a flow calling fetch-rate iff fetch-rate fails, on virtual time', async () => {
    await fc.assert(
      fc.asyncProperty(arbFailureScript(), fc.nat(), async (script, seed) => {
        const getRate = flaky(script, async () => 1.08);
        const fetchRate = makeFetchRate(getRate);
        const convert = flow({ name: 'convert', flowRunName: 'convert' }, async (amount: number) => {
          return amount * (await fetchRate('EUR'));
        });
        const timeline = await withVirtualTime(() => collectTimeline(convert.run$(100), { children: true }), {
          seed,
        });
        const final = (run: string) => timeline.filter((e) => e.run === run).at(-1)?.name;
        expect(final('convert')).toBe(final('fetch-rate-EUR'));
        expect(final('convert')).toBe(script.length <= ratesPolicy.retries ? 'Completed' : 'Failed');
      }),
      { numRuns: 50 },
    );
  });

  it('should report a deadlock instead of hanging the test', async () => {
    const waitForWebhook = task(
      { name: 'wait-for-webhook', taskRunName: 'wait-for-webhook' },
      () => new Promise<never>(() => {}),
    );
    const error = await withVirtualTime(() => waitForWebhook()).catch((e: unknown) => e);
    expect(isDeadlockError(error)).toBe(true);
    expect((error as Error).message).toContain("still waiting: task run 'wait-for-webhook' (Running)");
  });
});
