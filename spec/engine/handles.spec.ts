import { createHook } from 'node:async_hooks';
import { flow, getRunContext, task } from '../../lib/index.node';
import { deferred } from './support';

/**
 * Real timers created by rxflow's own code (lib/) since the hook was enabled and not yet cleared
 * or fired. Counting by creation site, not every open timer in the process, keeps timers of other
 * test files that ran earlier in the same jest worker out of the count.
 */
const engineTimers = new Set<number>();
const hook = createHook({
  init(id, type) {
    if (type !== 'Timeout') return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 64; // the engine's frame sits below RxJS's scheduler frames
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    if (/[\\/]lib[\\/]/.test(stack)) engineTimers.add(id);
  },
  destroy(id) {
    engineTimers.delete(id);
  },
});
beforeAll(() => hook.enable());
afterAll(() => hook.disable());

const timers = () => engineTimers.size;
// A few milliseconds of the event loop: destroy hooks run after the current macrotask, and the
// timer queue's disarm check is a zero-delay timer, which Node runs after at least 1 ms (a
// setImmediate turn can be far shorter, so counting turns made this spec flaky under load).
const turn = () => new Promise((resolve) => setTimeout(resolve, 2));

/** The engine's open timers once the event loop has settled. */
async function settledTimers(atMost: number): Promise<number> {
  let count = timers();
  for (let i = 0; i < 50 && count > atMost; i++) {
    await turn();
    count = timers();
  }
  return count;
}

// These runs use the real clock on purpose: they check that no real timer outlives a run.
// None of them waits for a delay to elapse.
describe('the engine', () => {
  it('should leave no timer behind after runs with timeouts finish early', async () => {
    const baseline = await settledTimers(0);
    const quick = task({ timeoutSeconds: 60 }, async (x: number) => x);
    const quickFlow = flow({ timeoutSeconds: 60 }, async () => Promise.all([quick(1), quick(2)]));
    await quickFlow();
    await Promise.all(Array.from({ length: 50 }, (_, i) => quick(i)));
    expect(await settledTimers(baseline)).toBe(baseline);
  });

  it('should leave no timer behind when a run waiting for a retry is cancelled', async () => {
    const baseline = await settledTimers(0);
    const t = task({ retries: 3, retryDelaySeconds: 3600, timeoutSeconds: 60 }, async () => {
      throw new Error('fail');
    });
    const awaiting = deferred();
    const subscription = t.run$().subscribe((state) => {
      if (state.name === 'AwaitingRetry') awaiting.resolve();
    });
    await awaiting.promise;
    expect(timers()).toBeGreaterThan(baseline);
    subscription.unsubscribe();
    expect(await settledTimers(baseline)).toBe(baseline);
  });

  it('should leave no timer behind when a flow with a timeout is cancelled mid-run', async () => {
    const baseline = await settledTimers(0);
    const started = deferred();
    const child = task({ timeoutSeconds: 30 }, async () => {
      started.resolve();
      await new Promise((resolve) => getRunContext().signal.addEventListener('abort', resolve));
    });
    const f = flow({ timeoutSeconds: 60 }, () => child());
    const subscription = f.run$().subscribe();
    await started.promise;
    expect(timers()).toBeGreaterThan(baseline); // the timeouts' timer is counted
    subscription.unsubscribe();
    expect(await settledTimers(baseline)).toBe(baseline);
  });
});
