// No Node entry here: frames last only synchronously, as in the browser build.
import { asyncScheduler } from 'rxjs';
import { getDefaultClock } from '../../lib/internal/clock';
import { contextPropagatesAcrossAwait, currentFrame } from '../../lib/internal/context';
import { seededRandom, sleep, VirtualScheduler, withVirtualTime } from '../../lib/testing/index';

describe('withVirtualTime without async context (browser build)', () => {
  it('should install the virtual clock process-wide for the duration, so it holds after await', async () => {
    expect(contextPropagatesAcrossAwait()).toBe(false);
    const seen = await withVirtualTime(
      async () => {
        await sleep(1000);
        await Promise.resolve();
        const afterAwait = currentFrame().clock;
        await sleep(500);
        return {
          now: afterAwait.scheduler.now(),
          virtual: afterAwait.scheduler instanceof VirtualScheduler,
          random: afterAwait.random(),
        };
      },
      { seed: 9 },
    );
    expect(seen).toEqual({ now: 1500, virtual: true, random: seededRandom(9)() });
    expect(getDefaultClock().scheduler).toBe(asyncScheduler);
  });

  it('should restore the default clock when fn throws', async () => {
    await expect(
      withVirtualTime(async () => {
        await sleep(10);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(getDefaultClock().scheduler).toBe(asyncScheduler);
    expect(getDefaultClock().random).toBe(Math.random);
  });
});
