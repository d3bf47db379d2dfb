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

  describe('overlapping calls', () => {
    const OVERLAP =
      'withVirtualTime: concurrent calls need AsyncLocalStorage (Node); in this build run them one at a time';
    const virtualNow = () => currentFrame().clock.scheduler.now();

    it('should reject a second concurrent call at once, without running it, and let the first finish', async () => {
      let secondRan = false;
      const first = withVirtualTime(async () => {
        await sleep(1000);
        await sleep(1000);
        return virtualNow();
      });
      const second = withVirtualTime(async () => {
        secondRan = true;
        await sleep(5000);
        return virtualNow();
      });
      await expect(second).rejects.toThrow(OVERLAP);
      expect(secondRan).toBe(false);
      await expect(first).resolves.toBe(2000);
      expect(getDefaultClock().scheduler).toBe(asyncScheduler);
    });

    it('should never leave a dead virtual clock installed when the first call ends first', async () => {
      const results = await Promise.allSettled([
        withVirtualTime(() => sleep(10)),
        withVirtualTime(() => sleep(60_000)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
      expect(getDefaultClock().scheduler).toBe(asyncScheduler);
      expect(getDefaultClock().random).toBe(Math.random);
      // The next calls, virtual or real, are unaffected.
      await expect(withVirtualTime(() => sleep(250).then(virtualNow))).resolves.toBe(250);
      await expect(sleep(5)).resolves.toBeUndefined();
    });

    it('should reject a nested call (it cannot be told apart from a concurrent one here)', async () => {
      await expect(
        withVirtualTime(async () => {
          await sleep(100);
          return withVirtualTime(() => sleep(100));
        }),
      ).rejects.toThrow(OVERLAP);
      expect(getDefaultClock().scheduler).toBe(asyncScheduler);
    });

    it('should accept calls one after the other', async () => {
      const times: number[] = [];
      for (const ms of [300, 700]) times.push(await withVirtualTime(() => sleep(ms).then(virtualNow)));
      expect(times).toEqual([300, 700]);
      expect(getDefaultClock().scheduler).toBe(asyncScheduler);
    });
  });
});
