import '../../lib/internal/context-node';
import { currentFrame } from '../../lib/internal/context';
import { task } from '../../lib/index.node';
import { flaky, isDeadlockError, sleep, withVirtualTime } from '../../lib/testing/index.node';

// Taken before any test fakes timers: a watchdog that turns a hang into a quick failure.
const realSetTimeout = setTimeout;
const realClearTimeout = clearTimeout;

const realNow = performance.now.bind(performance);

/** `start()`, failing after `ms` real ms; the watchdog's timer is set first, so the driver counts it as already open. */
function within<T>(ms: number, start: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = realSetTimeout(() => reject(new Error(`still pending after ${ms} real ms`)), ms);
  });
  return Promise.race([start(), hang]).finally(() => realClearTimeout(timer));
}

describe.each([
  ['modern', {}],
  ['legacy', { legacyFakeTimers: true }],
])('withVirtualTime under jest %s fake timers', (_kind, config) => {
  beforeEach(() => jest.useFakeTimers(config));
  afterEach(() => jest.useRealTimers());

  it('should drive its clock with the real event loop and complete', async () => {
    const body = flaky(2, () => 'ok');
    const load = task({ retries: 2, retryDelaySeconds: 3600 }, body);
    const started = realNow();
    await expect(within(5000, () => withVirtualTime(() => load()))).resolves.toBe('ok');
    expect(body.gaps).toEqual([3_600_000, 3_600_000]);
    expect(realNow() - started).toBeLessThan(900); // no real wait: the fakes are not real work
  });

  it('should run sleeps at exact virtual times and leave no fake timer behind', async () => {
    const times = await within(5000, () =>
      withVirtualTime(async () => {
        const { scheduler } = currentFrame().clock;
        await sleep(1000);
        const first = scheduler.now();
        await sleep(59_000);
        return [first, scheduler.now()];
      }),
    );
    expect(times).toEqual([1000, 60_000]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('should still report a deadlock instead of hanging', async () => {
    const error = await within(5000, () => withVirtualTime(() => new Promise(() => {}))).catch(
      (e: unknown) => e,
    );
    expect(isDeadlockError(error)).toBe(true);
  });

  it('should fail fast, not hang, if timers were already fake when it loaded, and work once they are real', async () => {
    let testing!: typeof import('../../lib/testing/index.node');
    jest.isolateModules(() => {
      testing = require('../../lib/testing/index.node') as typeof testing;
    });
    await expect(within(5000, () => testing.withVirtualTime(() => 'never called'))).rejects.toThrow(
      'withVirtualTime: the timer functions were already fake (jest or vitest fake timers) when rxflow/testing was first imported',
    );
    jest.useRealTimers();
    const late = await within(5000, () =>
      testing.withVirtualTime(() => testing.sleep(3000).then(() => 'ok')),
    );
    expect(late).toBe('ok');
  });
});
